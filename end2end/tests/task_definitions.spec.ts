import { expect, Page, test, TestInfo } from '@playwright/test';
import { open, signIn, withJs } from './helpers';

/** The seed task definition (../shared/seed), under a family of this project's own. */
function seed(family: string) {
  return {
    family,
    taskRoleArn: 'arn:aws:iam::123456789012:role/fastapi-task-role',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: [
      {
        name: 'fastapi',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest',
        portMappings: [{ containerPort: 8000 }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': `/ecs/${family}`,
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
  };
}

async function register(page: Page, json: object) {
  await page.getByLabel('Task definition JSON').fill(JSON.stringify(json, null, 2));
  await page.getByRole('button', { name: 'Register task definition' }).click();
}

function familyFor(testInfo: TestInfo) {
  return `fastapi-books-${testInfo.project.name}-${Date.now().toString(36)}`;
}

test.beforeEach(async ({ page }, testInfo) => {
  await signIn(page, 'developer', testInfo);
});

test('paste the seed, register revision 1, make revision 2 from it, and compare them', async ({ page }, testInfo) => {
  const family = familyFor(testInfo);
  await open(page, '/task-definitions', testInfo);
  if (withJs(testInfo)) {
    await page.getByLabel('Task definition JSON').fill(JSON.stringify(seed(family)));
    await expect(page.getByTestId('json-check')).toContainText('Valid: ready to register.');
  }
  await register(page, seed(family));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${family}:1`);
  await expect(page.getByTestId('revision-facts')).toContainText('ACTIVE');
  await expect(page.getByTestId('containers')).toContainText('fastapi-books:latest');

  // Revision 2: start from revision 1's JSON, add a container and an environment variable.
  await page.getByRole('link', { name: 'Edit as JSON' }).click();
  if (withJs(testInfo)) await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  const prefilled = JSON.parse(await page.getByLabel('Task definition JSON').inputValue());
  expect(prefilled.family).toBe(family);
  prefilled.containerDefinitions[0].environment = [{ name: 'LOG_LEVEL', value: 'info' }];
  prefilled.containerDefinitions.push({ name: 'worker', image: 'public.ecr.aws/docker/library/busybox:1.36', essential: false });
  await register(page, prefilled);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${family}:2`);
  await expect(page.getByTestId('containers')).toContainText('worker');

  // Compare 1 and 2.
  await open(page, `/task-definitions/${family}`, testInfo);
  await expect(page.getByTestId('revisions').getByRole('row')).toHaveCount(3);
  await page.getByLabel('From').selectOption('1');
  await page.getByLabel('To').selectOption('2');
  await page.getByRole('button', { name: 'Compare' }).click();
  const changes = page.getByTestId('changes');
  await expect(changes.getByRole('row').filter({ hasText: 'containers[worker]' })).toContainText('added');
  await expect(changes.getByRole('row').filter({ hasText: 'containers[fastapi].environment.LOG_LEVEL' })).toContainText('info');
  await expect(changes.getByRole('row')).toHaveCount(3);
});

test('an invalid cpu/memory pair is flagged and nothing is registered', async ({ page }, testInfo) => {
  const family = familyFor(testInfo);
  const bad = { ...seed(family), memory: '512' };
  await open(page, '/task-definitions', testInfo);
  if (withJs(testInfo)) {
    // Flagged while typing, by the same validator the server runs.
    await page.getByLabel('Task definition JSON').fill(JSON.stringify(bad));
    await expect(page.getByTestId('json-check')).toContainText('memory: With 512 CPU units, memory must be one of 1024, 2048, 3072, 4096 MiB.');
  }
  await register(page, bad);
  await expect(page.getByTestId('register-error')).toContainText('memory must be one of 1024, 2048, 3072, 4096');
  await open(page, '/task-definitions', testInfo);
  await expect(page.getByText(family)).toHaveCount(0);
});

test('a revision is deregistered only after confirming', async ({ page }, testInfo) => {
  const family = familyFor(testInfo);
  await open(page, '/task-definitions', testInfo);
  await register(page, seed(family));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${family}:1`);

  await page.getByRole('button', { name: 'Deregister' }).click();
  await expect(page.getByRole('alert')).toContainText('Tick the box to confirm');
  await page.getByLabel('Yes, deregister revision 1').check();
  await page.getByRole('button', { name: 'Deregister' }).click();
  await expect(page.getByTestId('revision-facts')).toContainText('INACTIVE');
});

test('the form registers the seed, then revision 2 with a second container and an env var', async ({ page }, testInfo) => {
  const family = familyFor(testInfo);
  await open(page, '/task-definitions/new', testInfo);
  await page.getByLabel('Family', { exact: true }).fill(family);
  await page.getByLabel('Task role ARN').fill('arn:aws:iam::123456789012:role/fastapi-task-role');
  await page.getByLabel('Execution role ARN').fill('arn:aws:iam::123456789012:role/ecsTaskExecutionRole');
  await page.getByLabel('CPU', { exact: true }).selectOption('512');
  await page.getByLabel('Memory', { exact: true }).selectOption('1024');
  const first = page.getByTestId('container-0');
  await first.getByLabel('Container name').fill('fastapi');
  await first.getByLabel('Image').fill('123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest');
  await first.getByLabel('Port mappings').fill('8000');
  if (withJs(testInfo)) {
    // The live preview is the exact request.
    const preview = JSON.parse((await page.getByTestId('form-preview').textContent())!);
    expect(preview.containerDefinitions[0].logConfiguration.options['awslogs-group']).toBe(`/ecs/${family}`);
    expect(preview.cpu).toBe('512');
  }
  await page.getByRole('button', { name: 'Register task definition' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${family}:1`);
  await expect(page.getByTestId('containers')).toContainText('8000/tcp');

  // Revision 2 from the prefilled form.
  await page.getByRole('link', { name: 'New revision from this' }).click();
  if (withJs(testInfo)) await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByLabel('Family', { exact: true })).toHaveValue(family);
  await page.getByTestId('container-0').getByLabel('Environment variables').fill('LOG_LEVEL=info');
  await page.getByRole('button', { name: 'Add container' }).click();
  const second = page.getByTestId('container-1');
  await expect(second).toBeVisible();
  // Without JavaScript the page came back through the address: nothing typed was lost.
  await expect(page.getByTestId('container-0').getByLabel('Environment variables')).toHaveValue('LOG_LEVEL=info');
  await second.getByLabel('Container name').fill('worker');
  await second.getByLabel('Image').fill('public.ecr.aws/docker/library/busybox:1.36');
  await second.getByRole('checkbox', { name: /Essential/ }).uncheck();
  await page.getByRole('button', { name: 'Register task definition' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${family}:2`);

  await open(page, `/task-definitions/${family}?a=1&b=2`, testInfo);
  const changes = page.getByTestId('changes');
  await expect(changes.getByRole('row').filter({ hasText: 'containers[worker]' })).toContainText('added');
  await expect(changes.getByRole('row').filter({ hasText: 'containers[fastapi].environment.LOG_LEVEL' })).toContainText('info');
});

test('memory follows the CPU; a stale choice is flagged next to the field and nothing typed is lost', async ({ page }, testInfo) => {
  const family = familyFor(testInfo);
  await open(page, '/task-definitions/new', testInfo);
  await page.getByLabel('Family', { exact: true }).fill(family);
  await page.getByLabel('Memory', { exact: true }).selectOption('4096');
  await page.getByLabel('CPU', { exact: true }).selectOption('256');
  const memory = page.getByLabel('Memory', { exact: true });
  if (withJs(testInfo)) {
    // With JavaScript an invalid pair cannot be chosen: memory moved to one that fits.
    await expect(memory.locator('option')).toHaveText(['512 MiB', '1024 MiB', '2048 MiB']);
    await expect(memory).toHaveValue('512');
    return;
  }
  const container = page.getByTestId('container-0');
  await container.getByLabel('Container name').fill('web');
  await container.getByLabel('Image').fill('nginx:1.27');
  await page.getByRole('button', { name: 'Register task definition' }).click();
  await expect(page.locator('#field-memory').locator('xpath=..')).toContainText('With 256 CPU units, memory must be one of 512, 1024, 2048 MiB.');
  await expect(page.getByLabel('Family', { exact: true })).toHaveValue(family);
  await expect(page.getByTestId('container-0').getByLabel('Image')).toHaveValue('nginx:1.27');
});

test('pasted describe-task-definition output opens in the form, with what was left out said', async ({ page }, testInfo) => {
  const family = familyFor(testInfo);
  const described = {
    taskDefinition: {
      ...seed(family),
      taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:7`,
      revision: 7,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      pidMode: 'task',
    },
  };
  await open(page, '/task-definitions', testInfo);
  await page.getByLabel('Task definition JSON').fill(JSON.stringify(described, null, 2));
  await page.getByRole('button', { name: 'Open in the form' }).click();
  await expect(page).toHaveURL(/\/task-definitions\/new\?json=/);
  if (withJs(testInfo)) await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);

  const notes = page.getByTestId('import-notes');
  await expect(notes).toContainText('Read-only fields ignored');
  await expect(notes).toContainText('revision');
  await expect(notes).toContainText('Unknown keys not imported: pidMode');
  await expect(page.getByLabel('Family', { exact: true })).toHaveValue(family);
  await expect(page.getByTestId('container-0').getByLabel('Image')).toHaveValue(/fastapi-books:latest$/);

  await page.getByRole('button', { name: 'Register task definition' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${family}:1`);
});
