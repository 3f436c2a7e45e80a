// The dashboard in a real browser against the real server: sign up, create an API key and use it on
// the REST API, rename and revoke it, duplicate sign-up and wrong-password errors, sign out and in.
// Also saves full-page screenshots (light and dark) of /, /sign-up and /keys for a visual check.
import { expect, test, type Page } from '@playwright/test';
import { startTestServer, type TestServer } from './support/test-server';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'correct horse battery staple';

let server: TestServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/**
 * Light and dark variants of the same page state. Transitions are finished first so that colours
 * are not caught half-way after the scheme switch; a modal is shot in the viewport, since a full-page
 * shot stretches the page under its fixed backdrop.
 */
async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/${name}${scheme === 'dark' ? '-dark' : ''}.png`, fullPage, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const account = (key: string) => fetch(`${server.url}/api/v2/account`, { headers: { authorization: `Bearer ${key}` } });

test('the product page explains the service and links to sign-up', async ({ page }) => {
  await page.goto(`${server.url}/`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('vertical clips');
  await expect(page.getByRole('link', { name: 'Create an account' })).toHaveAttribute('href', '/sign-up');
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('pre').first()).toContainText(`curl -X POST ${server.url}/api/v2/ingest`);
  await screenshot(page, 'home');
});

test('sign up, create, use, rename and revoke a key; sign out and back in', async ({ page, browser, context }) => {
  const email = `e2e-${Date.now()}@example.com`;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });

  await test.step('sign up (after fixing a too-short password)', async () => {
    await page.goto(`${server.url}/sign-up`);
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await screenshot(page, 'sign-up');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
    await screenshot(page, 'sign-up-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(`${server.url}/keys`);
    await expect(page.getByTestId('balance')).toHaveText('300');
    await expect(page.getByText('No keys yet')).toBeVisible();
  });

  let key = '';
  await test.step('create "ci" and copy the key shown once', async () => {
    await page.getByLabel('Key name').fill('ci');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByLabel('Your new API key');
    await expect(secret).toHaveValue(/^sk-[0-9A-Za-z]{32}$/);
    await expect(page.getByText('It will not be shown again.')).toBeVisible();
    await page.getByRole('button', { name: 'Copy API key' }).click();
    await expect(page.getByRole('button', { name: 'Copy API key' })).toContainText('Copied');
    key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toBe(await secret.inputValue());
    await expect(page.getByRole('row', { name: /ci/ })).toContainText(key.slice(0, 10));
    await screenshot(page, 'keys');
  });

  await test.step('the key works on the REST API', async () => {
    const res = await account(key);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email, balance: 300 });
  });

  await test.step('rename inline', async () => {
    await page.getByRole('button', { name: 'Rename ci' }).click();
    const input = page.getByLabel('New name for ci');
    await expect(input).toBeFocused();
    await input.fill('ci-deploy');
    await input.press('Enter');
    await expect(page.getByRole('button', { name: 'Rename ci-deploy' })).toBeFocused();
    await expect(page.getByRole('row', { name: /ci-deploy/ })).toContainText('Active');
  });

  await test.step('revoke with confirmation; the key stops working', async () => {
    await page.getByRole('button', { name: 'Revoke ci-deploy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “ci-deploy”?' });
    await expect(dialog).toBeVisible();
    await screenshot(page, 'keys-revoke-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole('row', { name: /ci-deploy/ });
    await expect(row).toContainText('Revoked');
    await expect(row.getByRole('button')).toHaveCount(0);
    await expect(page.getByLabel('Your new API key')).toBeHidden();
    expect((await account(key)).status).toBe(401);
  });

  await test.step('signing up again with the same email is refused', async () => {
    const other = await browser.newContext();
    const page2 = await other.newPage();
    await page2.goto(`${server.url}/sign-up`);
    await page2.getByLabel('Email').fill(email);
    await page2.getByLabel('Password').fill(PASSWORD);
    await page2.getByRole('button', { name: 'Create account' }).click();
    await expect(page2.getByRole('main').getByRole('alert')).toContainText('An account with this email already exists');
    await expect(page2).toHaveURL(`${server.url}/sign-up`);
    await other.close();
  });

  await test.step('sign out; /keys then sends to /sign-in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.goto(`${server.url}/keys`);
    await expect(page).toHaveURL(`${server.url}/sign-in`);
  });

  await test.step('a wrong password is refused, the right one signs in', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('Email or password is incorrect.');
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/keys`);
    await expect(page.getByTestId('balance')).toHaveText('300');
    await expect(page.getByRole('row', { name: /ci-deploy/ })).toContainText('Revoked');
  });
});
