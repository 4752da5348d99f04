import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

/**
 * The one inline style the client needs: lightweight-charts 5.x adds a <style> for the
 * TradingView attribution its licence asks us to show. Allowing that exact text by hash keeps
 * 'unsafe-inline' out; when the library changes the text, the browser tests see the CSP refusal
 * in the console and fail.
 */
const CHART_ATTRIBUTION_STYLE = "'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY='";

/**
 * Browser hardening for every answer: a CSP that allows only our own scripts, styles and
 * connections (socket.io included), no framing, no MIME sniffing, no referrer. TLS ends at the
 * reverse proxy, so upgrade-insecure-requests stays off: on a plain-http start it would send the
 * browser to an https port nobody listens on.
 */
export async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", CHART_ATTRIBUTION_STYLE],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Lot documents under review are shown in the page: a PDF in an <iframe> of a blob: URL
        // (fetched with the bearer token). Plugins (<object>) stay off.
        frameSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

  // API answers carry balances, orders and names: no browser or proxy cache may keep them. A
  // route that publishes cacheable data sets its own Cache-Control and keeps it.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
// Headers must reach every route, so the plugin is not encapsulated.
(securityHeaders as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
