import { expect, test } from '@playwright/test';
import { open, signIn, uniqueName, withJs } from './helpers';

/** A small valid Fargate task definition of its own family. */
function taskDefinition(family: string) {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'web', image: 'nginx:1.27', essential: true }],
  };
}

test('each recorded step shows in history with its actor; filters narrow it and travel in the address', async ({ page }, testInfo) => {
  await signIn(page, 'developer', testInfo);
  const cluster = uniqueName('hist', testInfo).replace(/[^A-Za-z0-9_-]/g, '-');
  const family = uniqueName('hist-td', testInfo).replace(/[^A-Za-z0-9_-]/g, '-');

  // Two actions available today: create a cluster, register a task definition.
  await open(page, '/clusters', testInfo);
  await page.getByLabel('Cluster name').fill(cluster);
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await expect(page.getByTestId('clusters').getByRole('row').filter({ hasText: cluster })).toHaveCount(1);

  await open(page, '/task-definitions', testInfo);
  await page.getByLabel('Task definition JSON').fill(JSON.stringify(taskDefinition(family), null, 2));
  await page.getByRole('button', { name: 'Register task definition' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${family}:1`);

  // Everything, newest first: both steps, by the developer.
  await open(page, '/history', testInfo);
  const rows = page.getByTestId('history').getByRole('row');
  const registered = rows.filter({ hasText: family });
  const created = rows.filter({ hasText: cluster });
  await expect(registered).toContainText('Register task definition');
  await expect(registered).toContainText('developer');
  await expect(registered).toContainText('succeeded');
  await expect(created).toContainText('Create cluster');
  await expect(created).toContainText('developer');

  // Filter by family: the address carries it, and only that step is left.
  await page.getByLabel('Task definition family').fill(family);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]family=${family}(&|$)`));
  if (withJs(testInfo)) await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByTestId('history').getByRole('row')).toHaveCount(2); // header + 1
  await expect(page.getByTestId('history')).toContainText('Register task definition');
  await expect(page.getByLabel('Task definition family')).toHaveValue(family);
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
    'href',
    `/api/v1/history/export?format=csv&family=${family}`,
  );

  // Filters combine: the cluster step is not a registration.
  await open(page, `/history?kind=task_definition.register&cluster=${cluster}`, testInfo);
  await expect(page.getByTestId('history-empty')).toHaveText('No history matches these filters.');
  await open(page, `/history?kind=cluster.create&cluster=${cluster}`, testInfo);
  await expect(page.getByTestId('history').getByRole('row')).toHaveCount(2);
  await expect(page.getByLabel('Action')).toHaveValue('cluster.create');

  // A bad date is explained next to its field.
  await open(page, '/history?since=2026-02-30', testInfo);
  await expect(page.getByRole('alert').filter({ hasText: 'From is not a date' }).first()).toBeVisible();
  await expect(page.getByLabel('From (UTC)')).toHaveAttribute('aria-invalid', 'true');

  // Keyset pages: one row a page, older and back again.
  await open(page, '/history?limit=1', testInfo);
  const firstRow = page.getByTestId('history').getByRole('row').nth(1);
  const newest = await firstRow.getAttribute('data-id');
  await page.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(/[?&]limit=1&cursor=[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId('history').getByRole('row')).toHaveCount(2);
  await expect(firstRow).not.toHaveAttribute('data-id', newest!);
  await page.getByRole('link', { name: '← Newer' }).click();
  await expect(firstRow).toHaveAttribute('data-id', newest!);

  // The detail page shows the request that was sent.
  await open(page, `/history?family=${family}`, testInfo);
  await page.getByTestId('history').getByRole('row').filter({ hasText: family }).getByRole('link').click();
  await expect(page).toHaveURL(/\/history\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Register task definition');
  await expect(page.getByTestId('entry-facts')).toContainText('developer');
  await expect(page.getByTestId('entry-request')).toContainText(`"family": "${family}"`);
  await expect(page.getByTestId('entry-response')).toContainText(`"revision": 1`);
});

test('a manager sees the dashboard with its SVG charts', async ({ page }, testInfo) => {
  await signIn(page, 'manager', testInfo);
  await open(page, '/', testInfo);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deployment dashboard');
  for (const days of [30, 90]) {
    const chart = page.getByTestId(`chart-${days}`);
    await expect(chart.locator('svg')).toHaveCount(1);
    await expect(chart.getByRole('img')).toHaveAccessibleName(`Deployments per day, last ${days} days`);
  }
  await expect(page.getByTestId('metrics')).toContainText('Change failure rate');
  await expect(page.getByTestId('metrics')).toContainText('Median lead time');
  await expect(page.getByTestId('metrics')).toContainText('Mean time to restore');
});

test('a developer reads history but is refused the dashboard', async ({ page }, testInfo) => {
  await signIn(page, 'developer', testInfo);
  await open(page, '/history', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' })).toHaveCount(0);
  await open(page, '/dashboard', testInfo);
  await expect(page.getByTestId('dashboard-error')).toContainText(
    'Your role (developer) does not allow you to view the deployment dashboard.',
  );
  await expect(page.locator('svg.chart')).toHaveCount(0);
});
