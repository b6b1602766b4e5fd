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
