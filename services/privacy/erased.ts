import { ConflictError, type Customer } from '../domain/index.js';

// What an erase leaves behind is a nameless customer record that the conversations still point at,
// for the figures (customer-data.ts `erase`). Nothing may be attached to it again: a reopened chat
// writes to a customer whose channel is gone, and a note or a case puts back what the erase took.

/** When the customer was erased, if they were (`erasedAt`, set by the erase). */
export function erasedAt(customer: Customer | null): Date | undefined {
  return (customer as (Customer & { erasedAt?: Date }) | null)?.erasedAt;
}

/**
 * Refuses (409 `customer.erased`) to `what` ("reopen it", "add notes to it") when `customer` was
 * erased. `of`: what the caller acts on, the customer or one of their conversations.
 */
export function refuseIfErased(
  customer: Customer | null,
  what: string,
  of: { conversationId: string } | { customerId: string },
): void {
  const at = erasedAt(customer);
  if (!at || !customer) return;
  const whose = 'conversationId' in of ? "This conversation's customer was" : 'This customer was';
  throw new ConflictError(
    'customer.erased',
    `${whose} erased at their request on ${new Date(at).toISOString().slice(0, 10)}: you cannot ${what}`,
    { ...of, customerId: customer.id },
  );
}
