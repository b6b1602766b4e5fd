import { expect, Page, test, TestInfo } from '@playwright/test';
import { open, signIn, uniqueName, withJs } from './helpers';

/** Fills the common part of the new change request form. */
async function startRequest(page: Page, testInfo: TestInfo, kind: string, role: string, reason: string) {
  await open(page, '/approvals/new', testInfo);
  await page.getByLabel('Kind').selectOption(kind);
  await page.getByLabel('Role name').fill(role);
  await page.getByLabel('Reason').fill(reason);
}

/** Submits the form and answers the id of the request it opened. */
async function submit(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page).toHaveURL(/\/approvals\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Change request #');
  return page.url().split('/').pop()!;
}

test('a developer requests the seed role and policy, an admin approves both, the role shows version 1', async ({ page, browser }, testInfo) => {
  // Two signed-in browsers and two approvals: more than the default minute on a busy machine.
  test.slow();
  const role = uniqueName('fastapi-task-role', testInfo);
  await signIn(page, 'developer', testInfo);

  // The seed's task role: the trust policy comes prefilled for ecs-tasks.
  await startRequest(page, testInfo, 'create-role', role, 'Task role of the books API');
  await expect(page.getByLabel('Trust policy', { exact: true })).toHaveValue(/ecs-tasks\.amazonaws\.com/);
  await expect(page.getByTestId('findings')).toContainText('missing-confused-deputy-condition');
  const roleRequest = await submit(page);
  const roleCard = page.getByTestId(`change-request-${roleRequest}`);
  await expect(roleCard).toContainText('pending');
  await expect(roleCard).toContainText('Create a task role');

  // The seed's inline policy from the DynamoDB template.
  await startRequest(page, testInfo, 'put-role-policy', role, 'The books table');
  await page.getByLabel('Policy name', { exact: true }).fill('allow-dynamodb');
  await page.getByLabel('Template').selectOption('dynamodb-table-read-write');
  await page.getByLabel('Resource name').fill('books');
  await page.getByRole('button', { name: 'Generate from template' }).click();
  const document = page.getByLabel('Policy document', { exact: true });
  await expect(document).toHaveValue(/arn:aws:dynamodb:us-east-1:123456789012:table\/books/);
  await expect(document).toHaveValue(/dynamodb:Scan/);
  await expect(page.getByTestId('findings')).toHaveText('The linter found nothing to report.');
  if (withJs(testInfo)) {
    // Live findings while typing, from the same linter the server runs.
    await document.fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}');
    await expect(page.getByTestId('findings')).toContainText('wildcard-action');
    await page.getByRole('button', { name: 'Generate from template' }).click();
    await expect(page.getByTestId('findings')).toHaveText('The linter found nothing to report.');
  }
  const policyRequest = await submit(page);

  await open(page, '/approvals', testInfo);
  const mine = page.getByTestId('my-requests');
  await expect(mine.getByRole('row').filter({ hasText: role })).toHaveCount(2);
  await expect(mine.getByRole('row').filter({ hasText: role }).first()).toContainText('pending');

  // An admin sees both in the queue and approves them.
  const admin = await browser.newPage({ javaScriptEnabled: withJs(testInfo) });
  await signIn(admin, 'admin', testInfo);
  for (const id of [roleRequest, policyRequest]) {
    await open(admin, '/approvals', testInfo);
    const queue = admin.getByTestId('approval-queue');
    await expect(queue.getByRole('article').filter({ hasText: role })).toHaveCount(id === roleRequest ? 2 : 1);
    const card = queue.getByTestId(`change-request-${id}`);
    await expect(card).toContainText('developer');
    await expect(card.getByTestId('request-diff')).toContainText('+');
    await card.getByLabel('Approval comment').fill('Looks right');
    await card.getByRole('button', { name: 'Approve' }).click();
    if (withJs(testInfo)) {
      // The queue reloads without the approved request.
      await expect(queue.getByTestId(`change-request-${id}`)).toHaveCount(0);
    }
    await open(admin, `/approvals/${id}`, testInfo);
    await expect(admin.getByTestId(`change-request-${id}`)).toContainText('applied');
  }

  // The role page shows the policy, decoded, and the portal's version 1 of it.
  await open(admin, `/roles/${role}`, testInfo);
  await expect(admin.getByTestId('trust-policy')).toContainText('ecs-tasks.amazonaws.com');
  const policy = admin.getByTestId('policy-allow-dynamodb');
  await expect(policy.getByTestId('policy-document')).toContainText('dynamodb:GetItem');
  const versions = policy.getByTestId('policy-versions');
  await expect(versions.getByRole('row')).toHaveCount(2);
  await expect(versions).toContainText('version 1');
  await expect(versions).toContainText('admin');
  await admin.close();

  // The requester sees the outcome of their requests.
  await open(page, '/approvals', testInfo);
  await expect(mine.getByRole('row').filter({ hasText: role }).first()).toContainText('applied');
  await open(page, '/roles', testInfo);
  await expect(page.getByTestId('roles').getByRole('row').filter({ hasText: role })).toContainText('yes');
});

test('a manager reads requests but has nothing to approve or request', async ({ page }, testInfo) => {
  await signIn(page, 'manager', testInfo);
  await open(page, '/approvals', testInfo);
  await expect(page.getByRole('heading', { name: 'IAM change requests' })).toBeVisible();
  await expect(page.getByTestId('approval-queue')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'New change request' })).toHaveCount(0);
  await open(page, '/approvals/new', testInfo);
  await expect(page.getByRole('alert')).toContainText('does not allow you to request IAM changes');
});

test('confused-deputy conditions go into the trust policy and silence the warning', async ({ page }, testInfo) => {
  await signIn(page, 'developer', testInfo);
  await startRequest(page, testInfo, 'create-execution-role', uniqueName('exec-role', testInfo), 'Pulls the books image');
  await expect(page.getByTestId('findings')).toContainText('missing-confused-deputy-condition');
  await page.getByLabel('aws:SourceAccount').fill('123456789012');
  await page.getByLabel('aws:SourceArn').fill('arn:aws:ecs:us-east-1:123456789012:*');
  await page.getByRole('button', { name: 'Apply conditions to the trust policy' }).click();
  const trust = page.getByLabel('Trust policy', { exact: true });
  await expect(trust).toHaveValue(/"aws:SourceAccount": "123456789012"/);
  await expect(trust).toHaveValue(/"ArnLike"/);
  // What was typed survives the round trip (without JavaScript it went through the address).
  await expect(page.getByLabel('Kind')).toHaveValue('create-execution-role');
  await expect(page.getByLabel('Reason')).toHaveValue('Pulls the books image');
  await expect(page.getByTestId('findings')).toHaveText('The linter found nothing to report.');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page).toHaveURL(/\/approvals\/\d+$/);
  await expect(page.getByTestId('findings')).toHaveText('The linter found nothing to report.');
});

test('a requester withdraws a request; an admin rejects another with a reason the requester reads', async ({ page, browser }, testInfo) => {
  test.slow();
  const role = uniqueName('no-role', testInfo);
  await signIn(page, 'developer', testInfo);
  await startRequest(page, testInfo, 'attach-role-policy', role, 'Read everything');
  await page.getByLabel('Managed policy ARN').fill('arn:aws:iam::aws:policy/ReadOnlyAccess');
  const withdrawn = await submit(page);
  await page.getByRole('button', { name: 'Withdraw request' }).click();
  await expect(page.getByTestId(`change-request-${withdrawn}`)).toContainText('withdrawn');

  await startRequest(page, testInfo, 'attach-role-policy', role, 'Everything');
  await page.getByLabel('Managed policy ARN').fill('arn:aws:iam::aws:policy/AdministratorAccess');
  const rejected = await submit(page);
  await expect(page.getByTestId('findings')).toContainText('broad-managed-policy');

  const admin = await browser.newPage({ javaScriptEnabled: withJs(testInfo) });
  await signIn(admin, 'admin', testInfo);
  await open(admin, '/approvals', testInfo);
  const card = admin.getByTestId('approval-queue').getByTestId(`change-request-${rejected}`);
  await expect(card).toContainText('warning');
  await card.getByLabel('Why reject?').fill('A task role never needs AdministratorAccess');
  await card.getByRole('button', { name: 'Reject' }).click();
  if (withJs(testInfo)) {
    await expect(admin.getByTestId('approval-queue').getByTestId(`change-request-${rejected}`)).toHaveCount(0);
  }
  await admin.close();

  await open(page, `/approvals/${rejected}`, testInfo);
  const outcome = page.getByTestId(`change-request-${rejected}`);
  await expect(outcome).toContainText('rejected');
  await expect(outcome).toContainText('A task role never needs AdministratorAccess');
  await expect(outcome.getByRole('button', { name: 'Withdraw request' })).toHaveCount(0);
});
