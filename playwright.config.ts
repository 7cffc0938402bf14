import { defineConfig } from '@playwright/test';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 4455);

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    launchOptions: {
      // Debian's Chromium by default; Playwright's own browser download does not work offline.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'setup', testMatch: /setup\.spec\.ts/ },
    { name: 'chromium', testIgnore: /setup\.spec\.ts/, dependencies: ['setup'] },
  ],
  webServer: {
    command: 'bash tests/e2e/start-server.sh',
    url: `http://localhost:${E2E_PORT}/en/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { PORT: String(E2E_PORT) },
  },
});
