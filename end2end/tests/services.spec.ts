import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { open, signIn, uniqueName, withJs } from './helpers';

test.beforeEach(async ({ page }, testInfo) => {
  await signIn(page, 'developer', testInfo);
});

/** Registers the seed's task definition under `family` through /api/v1 with the session. */
async function registerTaskDefinition(request: APIRequestContext, baseURL: string, family: string, tag = 'latest') {
  const response = await request.post('/api/v1/task-definitions', {
    headers: { Origin: baseURL },
    data: {
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{
        name: 'fastapi',
        image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:${tag}`,
        portMappings: [{ containerPort: 8000 }],
      }],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

async function createCluster(page: Page, name: string, testInfo: Parameters<typeof open>[2]) {
  await open(page, '/clusters', testInfo);
  await page.getByLabel('Cluster name').fill(name);
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await expect(page.getByTestId('clusters').getByRole('row').filter({ hasText: name })).toHaveCount(1);
}

test('the seed service is created through the form and its rollout completes', async ({ page, baseURL }, testInfo) => {
  const cluster = uniqueName('e2e-cluster', testInfo);
  const family = uniqueName('e2e-books', testInfo);
  const service = uniqueName('e2e-service', testInfo);
  await registerTaskDefinition(page.request, baseURL!, family);
  await createCluster(page, cluster, testInfo);

  // The cluster page leads to the form with the cluster chosen.
  await open(page, `/clusters/${cluster}`, testInfo);
  await expect(page.getByText('No services in this cluster yet.')).toBeVisible();
  await page.getByRole('link', { name: 'Create a service' }).click();
  if (withJs(testInfo)) {
    await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  }
  await expect(page.getByLabel('Cluster')).toHaveValue(cluster);

  await page.getByLabel('Service name').fill(service);
  await page.getByLabel('Task definition family').selectOption(family);
  if (!withJs(testInfo)) {
    // Without JavaScript the revisions of another family come with a round trip.
    await page.getByRole('button', { name: 'Show revisions of this family' }).click();
    await expect(page.getByLabel('Service name')).toHaveValue(service);
  }
  await expect(page.getByLabel('Revision')).toHaveValue('1');
  await page.getByLabel('Desired count').fill('2');
  // The pickers show each subnet's VPC, AZ and CIDR, and the security groups.
  const subnet = page.getByTestId('subnets-picker').getByRole('checkbox', { name: /us-east-1a · 172\.31\./ });
  await subnet.check();
  await page.getByTestId('securityGroups-picker').getByRole('checkbox', { name: /default/ }).check();
  await page.getByLabel('Assign public IP').selectOption('ENABLED');
  await expect(page.getByLabel('Deployment circuit breaker')).toHaveValue('rollback');
  if (withJs(testInfo)) {
    const preview = page.getByTestId('service-json-preview');
    await expect(preview).toContainText(`"serviceName": "${service}"`);
    await expect(preview).toContainText('"assignPublicIp": "ENABLED"');
    await expect(page.getByTestId('service-cli-preview')).toContainText(
      `aws ecs create-service \\\n  --cluster ${cluster} \\\n  --service-name ${service}`,
    );
  }
  await page.getByRole('button', { name: 'Create service' }).click();

  // The service page: the rollout finishes (live with JavaScript, after a reload without).
  await expect(page).toHaveURL(new RegExp(`/services/${cluster}/${service}$`));
  await expect(page.getByRole('heading', { name: service, level: 1 })).toBeVisible();
  const latest = page.getByTestId('latest-rollout');
  if (withJs(testInfo)) {
    await expect(latest.getByTestId('rollout-status')).toHaveText('Completed', { timeout: 20_000 });
  } else {
    await expect(async () => {
      await page.reload();
      await expect(latest.getByTestId('rollout-status')).toHaveText('Completed', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  }
  await expect(latest.getByTestId('rollout-progress')).toHaveAttribute('value', '100');
  await expect(page.getByTestId('desired-count')).toHaveText('2');
  await expect(page.getByTestId('running-count')).toHaveText('2');
  await expect(page.getByTestId('service-task-definition')).toHaveText(`${family}:1`);

  // The cluster lists it with running/desired.
  await open(page, `/clusters/${cluster}`, testInfo);
  const row = page.getByTestId('services').getByRole('row').filter({ hasText: service });
  await expect(row).toContainText('ACTIVE');
  await expect(row).toContainText('2 / 2');
});

test('an invalid service is explained next to its fields and nothing is created', async ({ page, baseURL }, testInfo) => {
  const cluster = uniqueName('e2e-badsvc', testInfo);
  const family = uniqueName('e2e-badsvc', testInfo);
  await registerTaskDefinition(page.request, baseURL!, family);
  await createCluster(page, cluster, testInfo);
  await open(page, `/services/new?cluster=${cluster}`, testInfo);

  await page.getByLabel('Service name').fill('bad name');
  await page.getByRole('button', { name: 'Create service' }).click();

  await expect(page.getByText(
    'Service name may contain only letters, digits, hyphens and underscores (found a space).',
  )).toBeVisible();
  await expect(page.getByText('Choose at least one subnet: Fargate tasks run in awsvpc mode.')).toBeVisible();
  // What was typed is still there.
  await expect(page.getByLabel('Service name')).toHaveValue('bad name');
  await open(page, `/clusters/${cluster}`, testInfo);
  await expect(page.getByText('No services in this cluster yet.')).toBeVisible();
});

/** Waits until the newest rollout on the service page is completed. */
async function expectLatestRolloutCompleted(page: Page, testInfo: Parameters<typeof open>[2]) {
  const status = page.getByTestId('latest-rollout').getByTestId('rollout-status');
  if (withJs(testInfo)) {
    await expect(status).toHaveText('Completed', { timeout: 20_000 });
  } else {
    await expect(async () => {
      await page.reload();
      await expect(status).toHaveText('Completed', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  }
}

test('deploy another revision, roll back in one click, then delete the service', async ({ page, baseURL }, testInfo) => {
  // Three rollouts, each waiting for the watcher: on a loaded 2-core machine this takes about
  // a minute, so it gets the slow timeout like the other multi-step specs.
  test.slow();
  const cluster = uniqueName('e2e-deploy', testInfo);
  const family = uniqueName('e2e-deploy', testInfo);
  const service = uniqueName('e2e-deploy-svc', testInfo);
  await registerTaskDefinition(page.request, baseURL!, family, '1.0');
  await createCluster(page, cluster, testInfo);
  await open(page, `/services/new?cluster=${cluster}`, testInfo);
  await page.getByLabel('Service name').fill(service);
  await page.getByLabel('Task definition family').selectOption(family);
  if (!withJs(testInfo)) {
    await page.getByRole('button', { name: 'Show revisions of this family' }).click();
  }
  await expect(page.getByLabel('Revision')).toHaveValue('1');
  await page.getByTestId('subnets-picker').getByRole('checkbox', { name: /us-east-1b/ }).check();
  await page.getByRole('button', { name: 'Create service' }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${cluster}/${service}$`));
  await expectLatestRolloutCompleted(page, testInfo);
  await registerTaskDefinition(page.request, baseURL!, family, '2.0');

  // Deploy revision 2.
  await page.getByLabel('Deploy revision (family:revision)').fill(`${family}:2`);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(page.getByTestId('latest-rollout')).toContainText(`${family}:2`);
  await expectLatestRolloutCompleted(page, testInfo);
  await expect(page.getByTestId('service-task-definition')).toHaveText(`${family}:2`);

  // One click back to revision 1, recorded as a rollout.
  await page.getByRole('button', { name: `Roll back to ${family}:1` }).click();
  await expect(page.getByTestId('latest-rollout')).toContainText('Rolled back');
  await expectLatestRolloutCompleted(page, testInfo);
  await expect(page.getByTestId('service-task-definition')).toHaveText(`${family}:1`);
  await expect(page.getByTestId('rollouts').getByRole('row')).toHaveCount(4);

  // Delete asks for the name, then the cluster has no service left.
  await page.getByRole('button', { name: 'Delete service' }).click();
  await expect(page.getByText(`Type the service name (${service}) to confirm the deletion.`)).toBeVisible();
  await page.getByLabel('Service name').fill(service);
  await page.getByRole('button', { name: 'Delete service' }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${cluster}$`));
  await expect(page.getByText('No services in this cluster yet.')).toBeVisible();
});
