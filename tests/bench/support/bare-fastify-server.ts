import Fastify from 'fastify';

// The ceiling for scale in bench:orders: the same route and payload, answered without any work.
const app = Fastify({ logger: false });
const answer = {
  order: {
    id: '1000001',
    clientOrderId: null,
    symbol: 'CARBON-2024',
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    price: '62.00',
    quantity: '10',
    filledQuantity: '0',
    status: 'open',
    cancelReason: null,
    createdAt: '2026-11-28T00:00:00.000Z',
    updatedAt: '2026-11-28T00:00:00.000Z',
  },
  fills: [],
};
app.get('/api/health', async () => ({ status: 'ok' }));
app.post('/api/orders', async (_request, reply) => reply.status(201).send(answer));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
