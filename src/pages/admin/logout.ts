import type { APIRoute } from 'astro';
import { cookieOptions, SESSION_COOKIE } from '../../lib/auth/admin-request.ts';
import { deleteSession } from '../../lib/auth/sessions.ts';
import { getDb } from '../../lib/db/client.ts';

export const POST: APIRoute = ({ cookies, redirect }) => {
  const token = cookies.get(SESSION_COOKIE)?.value;
  if (token) deleteSession(getDb(), token);
  cookies.delete(SESSION_COOKIE, { path: cookieOptions().path });
  return redirect('/admin/login', 303);
};
