import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    env: { STATUS_TIME_ZONE: 'America/Toronto', SITE_URL: 'http://localhost:4321', LOG_LEVEL: 'silent' },
    // Password hashing with scrypt takes a noticeable fraction of a second per call.
    testTimeout: 20_000,
  },
});
