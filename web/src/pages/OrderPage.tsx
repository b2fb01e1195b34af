import { useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../api/problem.ts';
import { useServices, useUser } from '../app/context.tsx';
import {
  canCancel,
  deriveTimeline,
  describeReason,
  observe,
  paymentOutcome,
  shouldPoll,
  STATUS_LABELS,
  type Notification,
  type ObservedStatus,
  type Order,
} from '../orders/timeline.ts';
import { ErrorAlert, formatMoney, formatTime, Loading, StatusBadge } from '../ui/components.tsx';

/** How often the page asks for the order while the saga runs. */
const POLL_INTERVAL_MS = 1500;
/** Polls after the order ended, waiting for its notification, before giving up on it. */
const MAX_POLLS_AFTER_FINAL = 20;

interface Snapshot {
  order: Order;
  notifications: Notification[];
  observed: ObservedStatus[];
}

export function OrderPage({ orderId }: { orderId: string }) {
  const { api } = useServices();
  const user = useUser();
  const [snapshot, setSnapshot] = useState<Snapshot>();
  const [error, setError] = useState<unknown>();
  const [polling, setPolling] = useState(true);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const observedRef = useRef<ObservedStatus[]>([]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pollsAfterFinal = 0;
    observedRef.current = [];
    setPolling(true);

    async function poll() {
      try {
        const order = await api.call(api.client.GET('/orders/{orderId}', { params: { path: { orderId } } }));
        // Notifications are the owner's; an admin looking at someone's order sees its statuses only.
        const notifications = await api
          .call(api.client.GET('/orders/{orderId}/notifications', { params: { path: { orderId } } }))
          .then((list) => list.items)
          .catch((caught: unknown) => {
            if (caught instanceof ApiError && (caught.status === 404 || caught.status === 403)) return [];
            throw caught;
          });
        if (stopped) return;
        observedRef.current = observe(observedRef.current, order);
        setSnapshot({ order, notifications, observed: observedRef.current });
        setError(undefined);
        if (!shouldPoll(order, notifications) || pollsAfterFinal >= MAX_POLLS_AFTER_FINAL) {
          setPolling(false);
          return;
        }
        if (order.status !== 'PENDING' && order.status !== 'CONFIRMED') pollsAfterFinal += 1;
      } catch (caught) {
        if (stopped) return;
        setError(caught);
        // Not found, not yours, signed out: asking again will not change the answer.
        if (caught instanceof ApiError && !caught.isNetworkFailure && caught.status < 500) {
          setPolling(false);
          return;
        }
      }
      timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
    }
    void poll();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, orderId, generation]);

  async function cancel() {
    setCancelling(true);
    setCancelError(undefined);
    try {
      await api.call(api.client.POST('/orders/{orderId}/cancel', { params: { path: { orderId } } }));
      setGeneration((n) => n + 1);
    } catch (caught) {
      setCancelError(describeError(caught));
    } finally {
      setCancelling(false);
    }
  }

  if (snapshot === undefined) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          Order
        </h1>
        {error === undefined ? <Loading what="the order" /> : <ErrorAlert error={error} onRetry={() => setGeneration((n) => n + 1)} />}
        {error instanceof ApiError && error.status === 404 && <p>There is no order with this id among yours.</p>}
      </section>
    );
  }

  const { order, notifications, observed } = snapshot;
  const timeline = deriveTimeline(order, notifications, observed);
  const isOwner = user?.sub === order.customerId;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Order {order.orderId.slice(0, 8)}
      </h1>
      <p className="order-status">
        Status: <StatusBadge status={order.status} /> {STATUS_LABELS[order.status]}
        {order.statusReason && <span className="reason"> Reason: {describeReason(order.statusReason)}</span>}
      </p>
      <p>Payment: {paymentOutcome(order.status)}</p>
      {order.trackingNumber && <p>Tracking number: {order.trackingNumber}</p>}
      <ErrorAlert error={error} />

      <h2>Timeline</h2>
      <p role="status" className="muted">
        {polling ? 'Watching for updates…' : 'No further updates expected.'}
      </p>
      <ol className="timeline" aria-live="polite">
        {timeline.map((entry) => (
          <li key={entry.id} className={`timeline-${entry.status.toLowerCase()}`}>
            <time dateTime={entry.at}>{formatTime(entry.at)}</time> <StatusBadge status={entry.status} /> <strong>{entry.label}</strong>
            {entry.message && <p>{entry.message}</p>}
            {entry.reason && <p className="reason">Reason: {entry.reason}</p>}
            {entry.trackingNumber && <p>Tracking number: {entry.trackingNumber}</p>}
          </li>
        ))}
      </ol>

      {canCancel(order.status) && isOwner && (
        <div>
          <button type="button" className="danger" disabled={cancelling} onClick={() => void cancel()}>
            {cancelling ? 'Cancelling…' : 'Cancel order'}
          </button>
          {cancelError && (
            <p role="alert" className="alert">
              {cancelError}
            </p>
          )}
        </div>
      )}

      <h2>Items</h2>
      <table>
        <caption className="visually-hidden">Items in this order</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Unit price</th>
            <th scope="col">Quantity</th>
            <th scope="col">Line total</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.productId}>
              <th scope="row">{line.productName}</th>
              <td>{formatMoney(line.unitPrice, order.currency)}</td>
              <td>{line.quantity}</td>
              <td>{formatMoney(line.lineTotal, order.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td>{formatMoney(order.total, order.currency)}</td>
          </tr>
        </tfoot>
      </table>

      <h2>Shipping to</h2>
      <address>
        {[order.shippingAddress.name, order.shippingAddress.line1, order.shippingAddress.line2, order.shippingAddress.city, order.shippingAddress.region, order.shippingAddress.postalCode, order.shippingAddress.country]
          .filter(Boolean)
          .join(', ')}
      </address>
      <p className="muted">
        Placed {formatTime(order.createdAt)} with {order.paymentMethod}.
      </p>
    </section>
  );
}
