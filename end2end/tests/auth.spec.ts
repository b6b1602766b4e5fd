import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD, open, signIn, uniqueName, withJs } from './helpers';

test('signing in and out', async ({ page }, testInfo) => {
  // Signed out, a page sends you to sign in and back.
  await page.goto('/clusters');
  await expect(page).toHaveURL(/\/signin\?next=\/clusters$/);

  await signIn(page, 'manager', testInfo);
  await expect(page.getByTestId('signed-in-user')).toHaveText('Demo manager');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin\?next=\/$/);
});

test('a wrong password gets one plain message', async ({ page }, testInfo) => {
  await open(page, '/signin', testInfo);
  await page.getByLabel('Username').fill('developer');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The username or password is not right.');
});

test('after signing in, the page asked for is shown', async ({ page }, testInfo) => {
  await page.goto('/clusters');
  if (withJs(testInfo)) await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Username').fill('developer');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(page.getByRole('heading', { name: 'Clusters', level: 1 })).toBeVisible();
});

test('a developer sees no admin navigation and the server refuses admin endpoints', async ({ page }, testInfo) => {
  await signIn(page, 'developer', testInfo);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Clusters' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);

  // Posting to the admin endpoint directly, with the developer's session cookie.
  const origin = new URL(page.url()).origin;
  const response = await page.request.post('/api/list_users', {
    headers: { Origin: origin, Accept: 'application/json' },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).message).toContain('does not allow you to manage users');

  await open(page, '/admin/users', testInfo);
  await expect(page.getByRole('alert')).toContainText('does not allow you to manage users');
});

test('an admin adds a user, who can then sign in', async ({ page, browser }, testInfo) => {
  const username = uniqueName('new', testInfo).toLowerCase();
  await signIn(page, 'admin', testInfo);
  await open(page, '/admin/users', testInfo);
  const form = page.getByRole('region', { name: 'Add a user' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Display name').fill('New Person');
  await form.getByLabel('Role').selectOption('manager');
  await form.getByLabel('Password').fill('a long enough password');
  await form.getByRole('button', { name: 'Add user' }).click();
  const row = page.getByTestId('users').locator(`tr[data-username="${username}"]`);
  await expect(row).toContainText('New Person');
  await expect(row.getByLabel('Role')).toHaveValue('manager');

  const other = await browser.newPage({ javaScriptEnabled: withJs(testInfo) });
  await other.goto('/signin');
  await other.getByLabel('Username').fill(username);
  await other.getByLabel('Password').fill('a long enough password');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other.getByTestId('signed-in-role')).toHaveText('manager');
  await other.close();
});

test('an API token is shown once, listed, and can be revoked', async ({ page }, testInfo) => {
  const name = uniqueName('ci', testInfo);
  await signIn(page, 'developer', testInfo);
  await open(page, '/account/tokens', testInfo);
  await page.getByLabel('Token name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  const notice = page.getByTestId('new-token');
  await expect(notice).toContainText('will not be shown again');
  const token = (await notice.locator('code').textContent())!.trim();
  expect(token).toMatch(/^ecsp_[0-9a-f]{64}$/);

  // The token works for automation.
  const me = await page.request.get('/api/v1/me', {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(await me.json()).toEqual({ username: 'developer', role: 'developer' });

  const row = page.getByTestId('tokens').getByRole('row').filter({ hasText: name });
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('tokens').getByRole('row').filter({ hasText: name })).toContainText('revoked');
  const after = await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});

test('the first-admin setup link works once', async ({ page }, testInfo) => {
  test.skip(!withJs(testInfo), 'the link works once: the JavaScript run uses it');
  const log = readFileSync(process.env.E2E_SETUP_LOG!, 'utf8');
  const link = log.match(/http:\/\/\S+\/setup\?token=[0-9a-f]+/)?.[0];
  expect(link, log).toBeTruthy();

  await page.goto(link!);
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Username').fill('root');
  await page.getByLabel('Display name').fill('First Admin');
  await page.getByLabel('Password', { exact: true }).fill('the first admin password');
  await page.getByLabel('Repeat password').fill('the first admin password');
  await page.getByRole('button', { name: 'Create admin' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText('First Admin');
  await expect(page.getByTestId('signed-in-role')).toHaveText('admin');

  await page.goto(link!);
  await expect(page.getByRole('alert')).toContainText('already been used');
});

test('a manager reads but cannot deploy: no create forms, and the server refuses', async ({ page }, testInfo) => {
  await signIn(page, 'manager', testInfo);
  await open(page, '/clusters', testInfo);
  await expect(page.getByRole('heading', { name: 'Clusters in this region' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create cluster' })).toHaveCount(0);
  await open(page, '/task-definitions', testInfo);
  await expect(page.getByRole('heading', { name: 'Families' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New task definition' })).toHaveCount(0);
  await expect(page.getByLabel('Task definition JSON')).toHaveCount(0);

  const origin = new URL(page.url()).origin;
  const response = await page.request.post('/api/create_cluster', {
    headers: { Origin: origin, Accept: 'application/json' },
    form: { cluster_name: 'manager-try' },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).message).toBe('Your role (manager) does not allow you to create clusters.');
});
