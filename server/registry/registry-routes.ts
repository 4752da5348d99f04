import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { forbidden, notFound, unprocessable } from '../errors.ts';
import { actorOf, participantOf, requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, fileResponse, IdParam, bearer } from '../shared/schemas.ts';
import { LotDetail, RegistryAction, RetireBody, UseBody } from '../../contract/registry.ts';
import { fixed } from '../shared/decimal.ts';
import type { RegistryActionView } from '../engine/commands.ts';
import { beijingTime, renderCertificatePdf } from '../certificates/certificate-pdf.ts';
import { ensureSameRequest, requestFingerprint } from '../shared/request-fingerprint.ts';
import { actionById, actionByRequestId, actionsOf, holderOf, holdingsOf, lotById, movementsOf, sourceLotsOf, type ActionRow } from './registry-queries.ts';

export async function registryRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, engine, instruments } = app.platform;
  const participantOnly = requireRole('participant');
  const inFlight = new Map<string, { fingerprint: string; view: Promise<RegistryActionView> }>();

  const actionView = (r: ActionRow): RegistryActionView => ({
    id: r.id,
    kind: r.kind,
    symbol: r.symbol,
    quantity: fixed(r.quantity, instruments.spec(r.symbol)?.qtyPlaces ?? 2),
    requestId: r.request_id,
    projectName: r.project_name,
    approvalRef: r.approval_ref,
    beneficiary: r.beneficiary,
    reason: r.reason,
    certificateNo: r.certificate_no,
    createdAt: r.created_at.toISOString(),
  });

  const consume = async (
    request: Parameters<typeof participantOf>[0],
    action: 'use' | 'retire',
    body: { symbol: string; quantity: string; requestId: string },
    fields: { projectName: string | null; approvalRef: string | null; beneficiary: string | null; reason: string | null },
  ): Promise<{ replayed: boolean; view: RegistryActionView }> => {
    const { participantId } = participantOf(request);
    const spec = instruments.spec(body.symbol);
    if (!spec) throw unprocessable('UNKNOWN_SYMBOL', `no instrument ${body.symbol}`);
    const isCarbon = spec.row.indicator_type === 'carbon_sink';
    if (action === 'use' && isCarbon) throw unprocessable('NOT_USABLE', 'carbon credits are retired (注销), not used: POST /api/registry/retirements');
    if (action === 'retire' && !isCarbon) throw unprocessable('NOT_RETIRABLE', 'land and wetland indicators are used (核销) against a project: POST /api/registry/uses');
    const qtyLots = spec.quantityToLots(body.quantity);
    const key = `${participantId}|${body.requestId}`;
    const keyName = `requestId ${body.requestId}`;
    const fingerprint = requestFingerprint([action, spec.symbol, qtyLots, fields.projectName, fields.approvalRef, fields.beneficiary, fields.reason]);
    const pending = inFlight.get(key);
    if (pending) {
      ensureSameRequest(pending.fingerprint, fingerprint, keyName);
      return { replayed: true, view: await pending.view };
    }
    const attempt = (async () => {
      const existing = await actionByRequestId(knex, participantId, body.requestId);
      if (existing) {
        ensureSameRequest(existing.request_fingerprint, fingerprint, keyName);
        return { replayed: true, view: actionView(existing) };
      }
      const outcome = await engine.submit({
        kind: 'consume',
        actor: actorOf(request),
        participantId,
        action,
        symbol: spec.symbol,
        qtyLots,
        requestId: body.requestId,
        requestFingerprint: fingerprint,
        ...fields,
      });
      if (!outcome.ok) throw outcome.error;
      return { replayed: false, view: outcome.registryAction };
    })();
    const shared = attempt.then((a) => a.view);
    shared.catch(() => {}); // the caller below handles the failure; waiters get it from `shared`
    inFlight.set(key, { fingerprint, view: shared });
    try {
      return await attempt;
    } finally {
      inFlight.delete(key);
    }
  };

  app.post(
    '/registry/uses',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['registry'],
        security: bearer,
        description: 'Use (核销) a land or wetland indicator against an approved construction project. Irreversible; produces a certificate.',
        body: UseBody,
        response: { 201: RegistryAction, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { replayed, view } = await consume(request, 'use', b, { projectName: b.projectName, approvalRef: b.approvalRef, beneficiary: null, reason: null });
      if (replayed) reply.header('idempotent-replay', 'true');
      return reply.status(201).send(view);
    },
  );

  app.post(
    '/registry/retirements',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['registry'],
        security: bearer,
        description: 'Retire (注销) carbon credits on behalf of a beneficiary. Irreversible; produces a certificate.',
        body: RetireBody,
        response: { 201: RegistryAction, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { replayed, view } = await consume(request, 'retire', b, { projectName: null, approvalRef: null, beneficiary: b.beneficiary, reason: b.reason });
      if (replayed) reply.header('idempotent-replay', 'true');
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/registry/actions',
    { preHandler: participantOnly, schema: { tags: ['registry'], security: bearer, response: { 200: Type.Array(RegistryAction), ...errorResponses } } },
    async (request) => {
      const rows = await actionsOf(knex, participantOf(request).participantId);
      return rows.map(actionView);
    },
  );

  const visibleAction = async (request: Parameters<typeof userOf>[0], id: string): Promise<ActionRow> => {
    const user = userOf(request);
    const row = await actionById(knex, id);
    if (!row) throw notFound('REGISTRY_ACTION_NOT_FOUND', `no use or retirement ${id}`);
    if (user.role === 'participant' && user.participantId !== row.participant_id) throw forbidden('NOT_YOURS', 'this certificate belongs to another participant');
    return row;
  };

  app.get(
    '/registry/actions/:id/certificate.pdf',
    {
      preHandler: requireRole('participant', 'regulator', 'operator'),
      schema: { tags: ['registry'], security: bearer, params: IdParam, description: 'Use or retirement certificate (PDF).', response: { 200: fileResponse('the certificate as PDF'), ...errorResponses } },
    },
    async (request, reply) => {
      const row = await visibleAction(request, request.params.id);
      const holder = await holderOf(knex, row.participant_id);
      const spec = instruments.spec(row.symbol);
      const view = actionView(row);
      const lots = await sourceLotsOf(knex, row.id);
      const isUse = row.kind === 'use';
      const pdf = await renderCertificatePdf({
        title: isUse ? '指标核销证明' : '碳汇注销证明',
        subtitle: isUse ? 'Indicator Use Certificate · EcoRights Exchange 生态权益指标交易平台' : 'Carbon Credit Retirement Certificate · EcoRights Exchange 生态权益指标交易平台',
        number: row.certificate_no,
        sections: [
          {
            rows: [
              ['持有人 Holder', `${holder!.name}（${holder!.region}）`],
              ['指标 Indicator', spec?.row.name_zh ?? row.symbol],
              ['数量 Quantity', `${view.quantity} ${spec?.row.unit ?? ''}`],
              ...(isUse
                ? ([
                    ['建设项目 Project', row.project_name!],
                    ['批准文号 Approval', row.approval_ref!],
                  ] as Array<[string, string]>)
                : ([
                    ['受益方 Beneficiary', row.beneficiary!],
                    ['用途 Reason', row.reason!],
                  ] as Array<[string, string]>)),
              ['时间 Time', `${beijingTime(view.createdAt)}（北京时间）`],
            ],
          },
          {
            heading: '来源批次 Source lots',
            rows: lots.map((l) => [l.verification_ref, `${l.source_project} · ${fixed(l.quantity, spec?.qtyPlaces ?? 2)} ${spec?.row.unit ?? ''}`]),
          },
        ],
        footer: '本证明所载数量已永久核销/注销，不可撤销。 The quantity above has been removed from circulation for good and cannot be reinstated.',
      });
      return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${row.certificate_no}.pdf"`).send(pdf);
    },
  );

  app.get(
    '/lots/:id',
    {
      preHandler: requireRole('participant', 'regulator', 'operator'),
      schema: {
        tags: ['registry'],
        security: bearer,
        description: 'A verified lot with its current holders and the full chain of transfers, uses and retirements.',
        params: IdParam,
        response: { 200: LotDetail, ...errorResponses },
      },
    },
    async (request) => {
      const user = userOf(request);
      const lot = await lotById(knex, request.params.id);
      if (!lot) throw notFound('LOT_NOT_FOUND', `no lot ${request.params.id}`);
      const movements = await movementsOf(knex, lot.id);
      if (user.role === 'participant' && !movements.some((m) => m.from_id === user.participantId || m.to_id === user.participantId)) {
        throw forbidden('NOT_A_HOLDER', 'only holders of this lot, regulators and the operator can see its chain');
      }
      const holdings = await holdingsOf(knex, lot.id);
      const spec = instruments.spec(lot.symbol);
      const qty = (v: string) => fixed(v, spec?.qtyPlaces ?? 2);
      return {
        id: lot.id,
        symbol: lot.symbol,
        quantity: qty(lot.quantity),
        unit: spec?.row.unit ?? '',
        holder: lot.holder,
        region: lot.region,
        sourceProject: lot.source_project,
        verificationRef: lot.verification_ref,
        vintage: lot.vintage,
        attributes: lot.attributes,
        createdAt: lot.created_at.toISOString(),
        holdings: holdings.map((h) => ({ participant: h.name, quantity: qty(h.quantity) })),
        movements: movements.map((m) => ({
          id: m.id,
          kind: m.kind,
          from: m.from_name,
          to: m.to_name,
          quantity: qty(m.quantity),
          tradeId: m.trade_id,
          registryActionId: m.registry_action_id,
          at: m.created_at.toISOString(),
        })),
      };
    },
  );
}
