/**
 * The web app in Chromium against a local cloud (tests/browser/support): the journeys of
 * issue 11, an axe-core scan of every page they pass through, and the screenshots in
 * docs/screenshots that web/README.md shows.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { useBrowser } from './support/browser.ts';
import { screenshot } from './support/screenshots.ts';

const browser = useBrowser();
const SAGA = { timeout: 45_000 };

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/#/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(inject('password'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
}

async function signedIn(email: string): Promise<Page> {
  const page = await browser.newPage();
  await signIn(page, email);
  return page;
}

/** Adds the first product with stock to the cart and opens the checkout. */
async function cartWithOneItem(page: Page, productName: string): Promise<void> {
  await page.goto('/#/');
  await page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: productName }) }).getByRole('button', { name: /Add to cart/ }).click();
  await page.goto('/#/checkout');
  await page.getByRole('heading', { name: 'Checkout', level: 1 }).waitFor();
}

async function fillAddress(page: Page, country = 'US'): Promise<void> {
  await page.getByLabel('Full name').fill('Alice Example');
  await page.getByLabel('Address line 1').fill('1 Main Street');
  await page.getByLabel('City', { exact: true }).fill('Springfield');
  await page.getByLabel('Postal code').fill('12345');
  await page.getByLabel('Country code').fill(country);
}

/** Places the order at checkout and returns its id, from the order page it opens. */
async function placeOrder(page: Page, paymentMethod = 'tok_visa'): Promise<string> {
  await page.getByLabel(/Payment method/).selectOption(paymentMethod);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
  return page.url().split('/orders/')[1] as string;
}

const status = (page: Page, value: string) => page.locator('.order-status').getByText(value.replace('_', ' '), { exact: true });

// A product the seed stocks plentifully, so every run can order it.
const PRODUCT = () => {
  const product = inject('products').find((candidate) => candidate.stock >= 50);
  if (product === undefined) throw new Error('The seed has no product with stock to spare');
  return product.name;
};

// Each journey signs in two or three users and waits for the saga; on a loaded machine that
// takes longer than the project's default timeout.
describe('a customer and an admin in the browser', { timeout: 180_000 }, () => {
  it('alice orders, watches CONFIRMED arrive on the timeline, the admin ships it and alice sees SHIPPED', async () => {
    const alice = await browser.newPage();
    await alice.goto('/#/sign-in');
    await expectAccessible(alice);
    await screenshot(alice, 'sign-in');
    await signIn(alice, 'alice@example.com');
    await alice.getByRole('button', { name: /Add to cart/ }).first().waitFor();
    await expectAccessible(alice);
    await screenshot(alice, 'catalog');

    await cartWithOneItem(alice, PRODUCT());
    await alice.goto('/#/cart');
    await alice.getByRole('table').waitFor();
    await expectAccessible(alice);
    await screenshot(alice, 'cart');

    await alice.goto('/#/checkout');
    await fillAddress(alice);
    await expectAccessible(alice);
    const orderId = await placeOrder(alice);
    await status(alice, 'CONFIRMED').waitFor(SAGA);
    const timeline = alice.getByRole('list').filter({ has: alice.locator('time') });
    await expect.poll(() => timeline.getByText('Your order is confirmed and will ship soon.').count(), SAGA).toBe(1);
    await expectAccessible(alice);
    await screenshot(alice, 'order-confirmed');

    const admin = await signedIn('admin@example.com');
    await admin.goto('/#/admin/orders?status=CONFIRMED');
    const tracking = admin.getByLabel(`Tracking number for order ${orderId.slice(0, 8)}`);
    await tracking.fill('1Z-999-AA1');
    await expectAccessible(admin);
    await screenshot(admin, 'admin-orders');
    await admin.getByRole('row', { name: new RegExp(orderId.slice(0, 8)) }).getByRole('button', { name: 'Ship' }).click();
    await tracking.waitFor({ state: 'detached' });

    await status(alice, 'SHIPPED').waitFor(SAGA);
    await alice.getByText('No further updates expected.').waitFor(SAGA);
    expect(await timeline.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('PENDING'),
      expect.stringContaining('CONFIRMED'),
      expect.stringMatching(/SHIPPED[\s\S]*Tracking number: 1Z-999-AA1/),
    ]);
    await screenshot(alice, 'order-shipped');

    await alice.goto('/#/orders');
    await alice.getByRole('link', { name: `Order ${orderId.slice(0, 8)}` }).waitFor();
    await expectAccessible(alice);
    await screenshot(alice, 'my-orders');
    expect(browser.pageErrors).toEqual([]);
  });

  it('a declined card ends the order PAYMENT_FAILED with its reason, and nothing is charged', async () => {
    const alice = await signedIn('alice@example.com');
    await cartWithOneItem(alice, PRODUCT());
    await fillAddress(alice);
    const orderId = await placeOrder(alice, 'tok_decline');
    await status(alice, 'PAYMENT_FAILED').waitFor(SAGA);
    await alice.getByText('No further updates expected.').waitFor(SAGA);
    await expect.poll(() => alice.getByText('Reason: The card was declined (PaymentDeclined)').count()).toBeGreaterThan(0);
    await alice.getByText('Payment: Not charged.').waitFor();
    await alice.getByText('Your payment was declined, so your order was not placed.').waitFor();
    await expectAccessible(alice);
    await screenshot(alice, 'order-declined');

    // What the page says is so: nothing was charged (the saga voided the payment, docs/payments.md).
    const table = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamoDbEndpoint'), region: inject('region') }));
    const { Item } = await table.send(new GetCommand({ TableName: inject('tableNames').OrdersTable, Key: { PK: `ORDER#${orderId}`, SK: 'PAYMENT' }, ConsistentRead: true }));
    table.destroy();
    expect(Item).toMatchObject({ status: 'VOIDED' });
    expect(Item?.chargeId).toBeUndefined();
  });

  it('alice cancels a confirmed order: it ends CANCELLED and the payment is refunded', async () => {
    const alice = await signedIn('alice@example.com');
    await cartWithOneItem(alice, PRODUCT());
    await fillAddress(alice);
    const orderId = await placeOrder(alice);
    await status(alice, 'CONFIRMED').waitFor(SAGA);
    await alice.getByRole('button', { name: 'Cancel order' }).click();
    await status(alice, 'CANCELLED').waitFor(SAGA);
    await alice.getByText('Your order was cancelled.').waitFor(SAGA);
    await alice.getByText('Payment: Any payment taken is refunded.').waitFor();
    expect(await alice.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    await expectAccessible(alice);

    // What the page says is so: the saga's compensation refunded the charge.
    const table = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamoDbEndpoint'), region: inject('region') }));
    const payment = async () =>
      (await table.send(new GetCommand({ TableName: inject('tableNames').OrdersTable, Key: { PK: `ORDER#${orderId}`, SK: 'PAYMENT' }, ConsistentRead: true }))).Item;
    await expect.poll(async () => (await payment())?.status, SAGA).toBe('REFUNDED');
    table.destroy();
  });

  it('shows the API’s field error next to its field, and places the order once corrected', async () => {
    const alice = await signedIn('alice@example.com');
    await cartWithOneItem(alice, PRODUCT());
    await fillAddress(alice, 'USA');
    await alice.getByRole('button', { name: 'Place order' }).click();
    const country = alice.getByLabel('Country code');
    await expect.poll(() => country.getAttribute('aria-invalid')).toBe('true');
    // The message is tied to the input (aria-describedby) and shown right under it.
    const describedBy = (await country.getAttribute('aria-describedby')) ?? '';
    const message = alice.locator(`[id="${describedBy.split(' ').at(-1)}"]`);
    expect(await message.innerText()).toBe('Country code: must be an ISO 3166-1 alpha-2 code such as US');
    await expectAccessible(alice);
    await country.scrollIntoViewIfNeeded();
    await screenshot(alice, 'checkout-field-error');

    await country.fill('US');
    await placeOrder(alice);
  });

  it('bob cannot see alice’s order', async () => {
    const alice = await signedIn('alice@example.com');
    await cartWithOneItem(alice, PRODUCT());
    await fillAddress(alice);
    const orderId = await placeOrder(alice);

    const bob = await signedIn('bob@example.com');
    await bob.goto(`/#/orders/${orderId}`);
    await bob.getByText('There is no order with this id among yours.').waitFor();
    expect(await bob.locator('main').innerText()).not.toContain('Alice Example');
    await expectAccessible(bob);
    await bob.goto('/#/orders');
    await bob.getByRole('heading', { name: 'My orders', level: 1 }).waitFor();
    await expect.poll(() => bob.getByRole('link', { name: `Order ${orderId.slice(0, 8)}` }).count()).toBe(0);
  });

  it('one checkout places one order: a double click and a retry after a lost answer send the same Idempotency-Key', async () => {
    const alice = await signedIn('alice@example.com');
    await cartWithOneItem(alice, PRODUCT());
    await fillAddress(alice);
    const keys: string[] = [];
    let dropped = false;
    await alice.route('**/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      // The first attempt reaches the API, but its answer is lost on the way back.
      if (!dropped) {
        dropped = true;
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.fallback();
    });
    await alice.getByRole('button', { name: 'Place order' }).dblclick();
    await alice.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    const orderId = alice.url().split('/orders/')[1] as string;
    await alice.goto('/#/orders');
    await alice.getByRole('link', { name: `Order ${orderId.slice(0, 8)}` }).waitFor();
  });

  it('an admin creates a product (a field error first), sets its stock; a customer gets no admin pages', async () => {
    const admin = await signedIn('admin@example.com');
    await admin.goto('/#/admin/products/new');
    const name = `Pour-over kettle ${Date.now()}`;
    await admin.getByLabel('Name').fill(name);
    await admin.getByLabel('Description').fill('Gooseneck, 1 litre');
    await admin.getByLabel('Price in cents').fill('49.99');
    await admin.getByRole('button', { name: 'Save product' }).click();
    await admin.getByText('Price in cents: must be a whole number of minor units (cents), not 49.99').waitFor();
    await expectAccessible(admin);
    await screenshot(admin, 'admin-product-field-error');
    await admin.getByLabel('Price in cents').fill('4999');
    await admin.getByRole('button', { name: 'Save product' }).click();
    await admin.getByText('Product created.').waitFor();

    await admin.goto('/#/admin/products');
    await admin.getByLabel(`Stock of ${name}`).fill('7');
    await admin.getByRole('button', { name: `Set stock of ${name}` }).click();
    await admin.getByText('Saved: 7 in stock.').waitFor();
    await expectAccessible(admin);
    await screenshot(admin, 'admin-products');

    const alice = await signedIn('alice@example.com');
    await alice.goto('/#/admin/orders');
    await alice.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor();
    await expectAccessible(alice);
  });
});
