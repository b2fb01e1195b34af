import { useState, type FormEvent } from 'react';
import { ApiError, describeError, fieldErrors } from '../../api/problem.ts';
import type { components } from '../../api/schema';
import { useServices } from '../../app/context.tsx';
import { navigate, useLocation } from '../../app/router.ts';
import { useLoad } from '../../app/use-load.ts';
import { STATUS_LABELS, type OrderStatus } from '../../orders/timeline.ts';
import { ErrorAlert, Field, formatMoney, formatTime, Loading, Select, StatusBadge } from '../../ui/components.tsx';
import { Pager, useCursorPages } from '../../ui/pager.tsx';

type OrderSummary = components['schemas']['OrderSummary'];

const STATUSES = Object.keys(STATUS_LABELS) as OrderStatus[];
const isStatus = (value: string | null): value is OrderStatus => STATUSES.includes(value as OrderStatus);

export function AdminOrdersPage() {
  const { api } = useServices();
  const { query } = useLocation();
  const requested = query.get('status');
  const status: OrderStatus = isStatus(requested) ? requested : 'CONFIRMED';
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useLoad(
    () => api.call(api.client.GET('/admin/orders', { params: { query: { status, limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [status, cursor],
  );

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Orders by status
      </h1>
      <Select
        label="Status"
        value={status}
        onChange={(event) => {
          pages.reset();
          navigate(`/admin/orders?status=${event.target.value}`, { replace: true });
        }}
      >
        {STATUSES.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </Select>
      {page.loading && <Loading what="orders" />}
      <ErrorAlert error={page.error} onRetry={page.reload} />
      {page.data && page.data.items.length === 0 && <p>No {status} orders.</p>}
      {page.data && page.data.items.length > 0 && (
        <>
          <table>
            <caption className="visually-hidden">{status} orders</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Status</th>
                <th scope="col">Total</th>
                <th scope="col">{status === 'CONFIRMED' ? 'Ship' : 'Details'}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((order) => (
                <tr key={order.orderId}>
                  <th scope="row">
                    <a href={`#/orders/${order.orderId}`}>Order {order.orderId.slice(0, 8)}</a>
                  </th>
                  <td>{formatTime(order.createdAt)}</td>
                  <td>
                    <StatusBadge status={order.status} />
                  </td>
                  <td>{formatMoney(order.total, order.currency)}</td>
                  <td>
                    {order.status === 'CONFIRMED' ? (
                      <ShipForm order={order} onShipped={page.reload} />
                    ) : (
                      (order.trackingNumber ?? order.statusReason ?? '')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="Order pages" pages={pages} nextCursor={page.data.nextCursor} />
        </>
      )}
    </section>
  );
}

function ShipForm({ order, onShipped }: { order: OrderSummary; onShipped: () => void }) {
  const { api } = useServices();
  const [trackingNumber, setTrackingNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<string>();

  async function ship(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFieldError(undefined);
    setError(undefined);
    try {
      await api.call(api.client.POST('/admin/orders/{orderId}/ship', { params: { path: { orderId: order.orderId } }, body: { trackingNumber } }));
      onShipped();
    } catch (caught) {
      const message = caught instanceof ApiError ? fieldErrors(caught.problem).trackingNumber : undefined;
      if (message !== undefined) setFieldError(message);
      else setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={ship} noValidate className="inline-form">
      <Field
        label={`Tracking number for order ${order.orderId.slice(0, 8)}`}
        value={trackingNumber}
        error={fieldError}
        onChange={(event) => setTrackingNumber(event.target.value)}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Shipping…' : 'Ship'}
      </button>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
    </form>
  );
}
