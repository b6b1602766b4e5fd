import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Ports and the database are chosen once in the main process; workers inherit the env.
function freePort(): string {
  return execFileSync('python3', [
    '-c',
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])',
  ])
    .toString()
    .trim();
}
process.env.E2E_PORT ??= freePort();
process.env.E2E_MOTO_PORT ??= freePort();
const scratch = mkdtempSync(join(tmpdir(), 'ecs-portal-e2e-'));
process.env.E2E_DB ??= join(scratch, 'portal.db');
// A second portal on an empty database, for the first-admin setup link.
process.env.E2E_SETUP_PORT ??= freePort();
process.env.E2E_SETUP_DB ??= join(scratch, 'setup.db');
process.env.E2E_SETUP_LOG ??= join(scratch, 'setup.log');
process.env.E2E_DEMO_PASSWORD ??= 'e2e demo password';

const root = resolve(__dirname, '..');
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is never used.
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // Every spec runs twice: with JavaScript (hydrated Leptos) and without (plain form posts).
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [{
    command: `${root}/scripts/sandbox.sh`,
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORTAL_BIN: process.env.PORTAL_BIN ?? `${root}/target/debug/ecs-portal`,
      SITE_ROOT: process.env.SITE_ROOT ?? `${root}/target/site`,
      PORT: process.env.E2E_PORT!,
      MOTO_PORT: process.env.E2E_MOTO_PORT!,
      SANDBOX_DB: process.env.E2E_DB!,
      DEMO_PASSWORD: process.env.E2E_DEMO_PASSWORD!,
      RUST_LOG: 'warn',
    },
  }, {
    // No demo users: on first start it prints the one-time setup link into its log.
    command: `exec "${process.env.PORTAL_BIN ?? `${root}/target/debug/ecs-portal`}" serve > "${process.env.E2E_SETUP_LOG}" 2>&1`,
    url: `http://127.0.0.1:${process.env.E2E_SETUP_PORT}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${process.env.E2E_SETUP_PORT}`,
      LEPTOS_SITE_ROOT: process.env.SITE_ROOT ?? `${root}/target/site`,
      DATABASE_URL: process.env.E2E_SETUP_DB!,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${process.env.E2E_MOTO_PORT}`,
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_REGION: 'us-east-1',
      RUST_LOG: 'warn',
    },
  }],
});
