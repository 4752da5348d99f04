import { forbidden } from '../errors.ts';

/** How a refusal names the sale and the participant that owns it. */
export interface SaleOwnerWords {
  code: 'NOT_THE_SELLER' | 'NOT_THE_BUYER';
  owner: 'seller' | 'buyer';
  sale: 'listing' | 'demand listing';
}

/**
 * Who may withdraw a listing auction or a demand listing: the operator while it is open, its
 * owner only before registration opens — from then on others lock margins on its word.
 */
export function refuseWithdrawal(viewer: { role: string; participantId: string | null }, ownerId: string, registrationOpensAt: Date, now: Date, words: SaleOwnerWords): void {
  if (viewer.role === 'operator') return;
  if (viewer.participantId !== ownerId) throw forbidden(words.code, `only the ${words.owner} or the operator can withdraw a ${words.sale}`);
  if (now >= registrationOpensAt) throw forbidden('CANCEL_NOT_ALLOWED', `once registration has opened only the operator can withdraw a ${words.sale}`);
}
