import { useServices } from '../app/context.tsx';
import { useLoad } from '../app/use-load.ts';
import { ErrorAlert, formatMoney, formatTime, Loading, StatusBadge } from '../ui/components.tsx';
import { Pager, useCursorPages } from '../ui/pager.tsx';

export function MyOrdersPage() {
  const { api } = useServices();
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useLoad(() => api.call(api.client.GET('/orders', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })), [cursor]);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        My orders
      </h1>
      {page.loading && <Loading what="your orders" />}
      <ErrorAlert error={page.error} onRetry={page.reload} />
      {page.data && page.data.items.length === 0 && (
        <p>
          No orders yet. <a href="#/">Browse the catalog</a>.
        </p>
      )}
      {page.data && page.data.items.length > 0 && (
        <>
          <table>
            <caption className="visually-hidden">Your orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Status</th>
                <th scope="col">Items</th>
                <th scope="col">Total</th>
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
                  <td>{order.lineCount}</td>
                  <td>{formatMoney(order.total, order.currency)}</td>
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
