import { expect, Page, TestInfo } from '@playwright/test';

/** True when the spec runs in the project with JavaScript enabled. */
export function withJs(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Opens a page and, with JavaScript, waits until Leptos has hydrated it. */
export async function open(page: Page, path: string, testInfo: TestInfo): Promise<void> {
  await page.goto(path);
  if (withJs(testInfo)) {
    await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  }
}

/** A name no other spec or run uses. */
export function uniqueName(prefix: string, testInfo: TestInfo): string {
  return `${prefix}-${testInfo.project.name}-${Date.now().toString(36)}`;
}

/** The demo users' password (set for the sandbox by playwright.config.ts). */
export const DEMO_PASSWORD = process.env.E2E_DEMO_PASSWORD!;

/** Signs in through the sign-in form as one of the sandbox demo users. */
export async function signIn(
  page: Page,
  username: 'developer' | 'manager' | 'admin',
  testInfo: TestInfo,
): Promise<void> {
  await open(page, '/signin', testInfo);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-role')).toHaveText(username);
  if (withJs(testInfo)) {
    await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  }
}
