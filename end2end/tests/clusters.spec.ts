import { expect, test } from '@playwright/test';
import { open, signIn, uniqueName, withJs } from './helpers';

test.beforeEach(async ({ page }, testInfo) => {
  await signIn(page, 'developer', testInfo);
});

test('the header shows the sandbox account, region and endpoint', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await expect(page.locator('.badge-sandbox')).toHaveText('sandbox');
  await expect(page.getByTestId('aws-account')).toHaveText('123456789012');
  await expect(page.getByTestId('aws-region')).toHaveText('us-east-1');
  await expect(page.getByTestId('aws-endpoint')).toContainText('http://127.0.0.1:');
  await expect(page.getByTestId('aws-problem')).toHaveCount(0);
});

test('a cluster created through the form appears in the list and in recent history', async ({ page }, testInfo) => {
  const name = uniqueName('e2e', testInfo);
  await open(page, '/clusters', testInfo);

  await page.getByLabel('Cluster name').fill(name);
  await page.getByRole('button', { name: 'Create cluster' }).click();

  const row = page.getByTestId('clusters').getByRole('row').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('ACTIVE');
  if (withJs(testInfo)) {
    await expect(page.getByRole('status')).toHaveText(`Cluster ${name} was created.`);
    await expect(page.getByLabel('Cluster name')).toHaveValue('');
  }

  await open(page, '/', testInfo);
  const entry = page.getByTestId('recent-history').getByRole('row').filter({ hasText: name });
  await expect(entry).toContainText('Create cluster');
  await expect(entry).toContainText('succeeded');
  await expect(entry).toContainText('developer');
});

test('an invalid name is explained next to the field and nothing is created', async ({ page }, testInfo) => {
  const name = `bad name ${testInfo.project.name}`;
  await open(page, '/clusters', testInfo);

  const field = page.getByLabel('Cluster name');
  await field.fill(name);
  const message = 'Cluster name may contain only letters, digits, hyphens and underscores (found a space).';
  if (withJs(testInfo)) {
    // Live feedback from the shared validator, before anything is submitted.
    await expect(page.locator('#field-cluster_name-error')).toHaveText(message);
  }
  await page.getByRole('button', { name: 'Create cluster' }).click();

  await expect(page.locator('#field-cluster_name-error')).toHaveText(message);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  // What the user typed is still there.
  await expect(field).toHaveValue(name);
  await expect(page.getByText(name, { exact: true })).toHaveCount(0);
});
