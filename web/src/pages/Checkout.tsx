import { useState, type FormEvent } from 'react';
import { ApiError, describeError, fieldErrors, type Problem } from '../api/problem.ts';
import type { components } from '../api/schema';
import { orderItems, totals } from '../cart/cart.ts';
import { Checkout } from '../checkout/checkout.ts';
import { PAYMENT_TOKENS } from '../checkout/payment-tokens.ts';
import { useCart, useServices } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import { ErrorAlert, Field, FormProblems, formatMoney, Select } from '../ui/components.tsx';

type Address = components['schemas']['ShippingAddress'];
type Order = components['schemas']['Order'];

const ADDRESS_FIELDS: { key: keyof Address; label: string; autoComplete: string; optional?: boolean }[] = [
  { key: 'name', label: 'Full name', autoComplete: 'name' },
  { key: 'line1', label: 'Address line 1', autoComplete: 'address-line1' },
  { key: 'line2', label: 'Address line 2', autoComplete: 'address-line2', optional: true },
  { key: 'city', label: 'City', autoComplete: 'address-level2' },
  { key: 'region', label: 'State or region', autoComplete: 'address-level1', optional: true },
  { key: 'postalCode', label: 'Postal code', autoComplete: 'postal-code' },
  { key: 'country', label: 'Country code', autoComplete: 'country' },
];

export function CheckoutPage() {
  const { api } = useServices();
  const { cart, setCart } = useCart();
  // One checkout (one Idempotency-Key) for as long as this page is open and until an order is placed.
  const [checkout] = useState(() => new Checkout<Order>({ storage: sessionStorage }));
  const [address, setAddress] = useState<Record<keyof Address, string>>({
    name: '',
    line1: '',
    line2: '',
    city: '',
    region: '',
    postalCode: '',
    country: 'US',
  });
  const [paymentMethod, setPaymentMethod] = useState<string>('tok_visa');
  const [placing, setPlacing] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [error, setError] = useState<unknown>();

  if (cart.length === 0) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          Checkout
        </h1>
        <p>
          Your cart is empty. <a href="#/">Browse the catalog</a>.
        </p>
      </section>
    );
  }

  async function placeOrder(event: FormEvent) {
    event.preventDefault();
    setPlacing(true);
    setProblem(undefined);
    setError(undefined);
    // Optional fields left blank are left out rather than sent empty.
    const shippingAddress = Object.fromEntries(Object.entries(address).filter(([, value]) => value.trim() !== '')) as Address;
    try {
      const order = await checkout.place((idempotencyKey) =>
        api.call(
          api.client.POST('/orders', {
            params: { header: { 'Idempotency-Key': idempotencyKey } },
            body: { items: orderItems(cart), shippingAddress, paymentMethod },
          }),
        ),
      );
      setCart(() => []);
      navigate(`/orders/${order.orderId}`);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422) {
        // This checkout's key already placed an order for a different cart (an answer was
        // lost, then the cart changed). That order stands; a new key places this cart.
        checkout.reset();
        setError(
          new Error('An order was already placed from this checkout with a different cart; see My orders. Press Place order again to order this cart as a new order.'),
        );
      } else if (caught instanceof ApiError && caught.problem.errors !== undefined) {
        setProblem(caught.problem);
      } else if (caught instanceof ApiError && (caught.isNetworkFailure || caught.status >= 500)) {
        // The order may or may not exist: the same key makes trying again safe either way.
        setError(new Error(`${describeError(caught)} Pressing Place order again is safe: it sends the same Idempotency-Key, so the order cannot be placed twice.`));
      } else {
        setError(caught);
      }
    } finally {
      setPlacing(false);
    }
  }

  const errors = fieldErrors(problem);
  const shownFields = [...ADDRESS_FIELDS.map(({ key }) => `shippingAddress.${key}`), 'paymentMethod'];

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Checkout
      </h1>
      <p>
        {cart.length} {cart.length === 1 ? 'line' : 'lines'}, total{' '}
        {Object.entries(totals(cart))
          .map(([currency, total]) => formatMoney(total, currency))
          .join(' + ')}
        . <a href="#/cart">Change the cart</a>
      </p>
      <form onSubmit={placeOrder} noValidate>
        <FormProblems problem={problem} shownFields={shownFields} />
        <ErrorAlert error={error} />
        <fieldset>
          <legend>Shipping address</legend>
          {ADDRESS_FIELDS.map(({ key, label, autoComplete, optional }) => (
            <Field
              key={key}
              label={optional ? `${label} (optional)` : label}
              autoComplete={autoComplete}
              required={!optional}
              {...(key === 'country' ? { hint: 'Two capital letters, such as US or GB' } : {})}
              value={address[key] ?? ''}
              error={errors[`shippingAddress.${key}`]}
              onChange={(event) => setAddress((current) => ({ ...current, [key]: event.target.value }))}
            />
          ))}
        </fieldset>
        <fieldset>
          <legend>Payment</legend>
          <Select
            label="Payment method (simulated test tokens)"
            value={paymentMethod}
            error={errors.paymentMethod}
            onChange={(event) => setPaymentMethod(event.target.value)}
          >
            {PAYMENT_TOKENS.map(({ token, label }) => (
              <option key={token} value={token}>
                {token}: {label}
              </option>
            ))}
          </Select>
        </fieldset>
        <button type="submit" disabled={placing}>
          {placing ? 'Placing your order…' : 'Place order'}
        </button>
      </form>
    </section>
  );
}
