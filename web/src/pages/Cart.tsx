import { itemCount, MAX_QUANTITY, removeFromCart, setQuantity, totals } from '../cart/cart.ts';
import { useCart } from '../app/context.tsx';
import { formatMoney } from '../ui/components.tsx';

export function CartPage() {
  const { cart, setCart } = useCart();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Your cart
      </h1>
      {cart.length === 0 ? (
        <p>
          Your cart is empty. <a href="#/">Browse the catalog</a>.
        </p>
      ) : (
        <>
          <table>
            <caption className="visually-hidden">Items in your cart</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Unit price</th>
                <th scope="col">Quantity</th>
                <th scope="col">Line total</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cart.map((line) => (
                <tr key={line.productId}>
                  <th scope="row">{line.name}</th>
                  <td>{formatMoney(line.unitPrice, line.currency)}</td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      max={MAX_QUANTITY}
                      aria-label={`Quantity of ${line.name}`}
                      value={line.quantity}
                      onChange={(event) => setCart((current) => setQuantity(current, line.productId, event.target.valueAsNumber))}
                    />
                  </td>
                  <td>{formatMoney(line.unitPrice * line.quantity, line.currency)}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => setCart((current) => removeFromCart(current, line.productId))}>
                      Remove <span className="visually-hidden">{line.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {itemCount(cart)} items, total{' '}
            {Object.entries(totals(cart))
              .map(([currency, total]) => formatMoney(total, currency))
              .join(' + ')}
            . Prices are confirmed from the catalog when you place the order.
          </p>
          <p>
            <a className="button" href="#/checkout">
              Go to checkout
            </a>
          </p>
        </>
      )}
    </section>
  );
}
