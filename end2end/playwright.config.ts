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
process.env.E2E_DB ??= join(mkdtempSync(join(tmpdir(), 'ecs-portal-e2e-')), 'portal.db');

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
  webServer: {
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
      RUST_LOG: 'warn',
    },
  },
});
