import { shortfall } from './shortfall.ts';
import { conflict } from '../errors.ts';
import { registryCertificateNo } from '../certificates/certificate-number.ts';
import type { Accepted, ConsumeCommand, RegistryActionView } from './commands.ts';
import type { BatchContext } from './batch-context.ts';

/**
 * Use (核销) or retirement (注销): takes available quantity for good. The writer posts the
 * journal transfer, the registry record and the lots the quantity came from.
 */
export function consume(batch: BatchContext, c: ConsumeCommand): Accepted<ConsumeCommand> {
  batch.ensureActive(c.participantId);
  const spec = batch.spec(c.symbol);
  const quantity = spec.lotsDecimal(c.qtyLots);
  if (batch.consumptions.some((x) => x.command.participantId === c.participantId && x.command.requestId === c.requestId)) {
    throw conflict('DUPLICATE_REQUEST', `request ${c.requestId} is already being processed`);
  }
  batch.holds.take(c.participantId, c.symbol, quantity, (available, frozen) => shortfall(c.symbol, quantity, available, frozen));
  const id = batch.state.ids.take();
  const view: RegistryActionView = {
    id: String(id),
    kind: c.action,
    symbol: c.symbol,
    quantity: spec.lotsToQuantity(c.qtyLots),
    requestId: c.requestId,
    projectName: c.projectName,
    approvalRef: c.approvalRef,
    beneficiary: c.beneficiary,
    reason: c.reason,
    certificateNo: registryCertificateNo(c.action, id, batch.now),
    createdAt: batch.now.toISOString(),
  };
  batch.consumptions.push({ command: c, view, quantity });
  batch.audit(c.actor, c.action === 'use' ? 'registry.use' : 'registry.retire', `registry-action:${id}`, { participantId: c.participantId, ...view });
  return { ok: true, registryAction: view };
}
