import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MarketReport, ReportFileQuery, ReportQuery, type ReportPeriod } from '../../contract/reports.ts';
import { requireRole } from '../auth/auth-plugin.ts';
import { beijingDate } from '../shared/beijing-time.ts';
import { bearer, errorResponses } from '../shared/schemas.ts';
import { reportLabels } from '../../contract/report-labels.ts';
import { marketReport } from './market-report.ts';
import { reportPeriod } from './report-period.ts';
import { renderReportPdf } from './report-pdf.ts';
import { renderReportXlsx } from './report-xlsx.ts';

// The regulator's reports: the figures as JSON for the page, the same figures as XLSX and PDF
// for filing. Operators may read them too; they run the platform the figures describe.

const FileBody = Type.String({ description: 'the file' });

const fileName = (period: ReportPeriod, ext: string) =>
  `market-report-${period.kind}-${period.from}${period.to === period.from ? '' : `_${period.to}`}.${ext}`;

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const { knex, instruments, clock } = app.platform;
  const staff = requireRole('regulator', 'operator');
  const build = (query: ReportQuery) => {
    const now = clock.now();
    return marketReport(knex, reportPeriod(query, beijingDate(now)), (symbol) => instruments.spec(symbol), now);
  };

  app.get<{ Querystring: ReportQuery }>(
    '/regulator/reports',
    {
      preHandler: staff,
      schema: {
        tags: ['regulator'],
        security: bearer,
        description: 'Market report for a Beijing day, week (Monday–Sunday), month, year or a range of at most 366 days.',
        querystring: ReportQuery,
        response: { 200: MarketReport, ...errorResponses },
      },
    },
    (request) => build(request.query),
  );

  const files = [
    { ext: 'xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', render: renderReportXlsx, what: 'XLSX workbook, one sheet per table, figures as numbers' },
    { ext: 'pdf', type: 'application/pdf', render: renderReportPdf, what: 'print-ready A4 PDF with Chinese fonts' },
  ] as const;
  for (const file of files) {
    app.get<{ Querystring: ReportFileQuery }>(
      `/regulator/reports.${file.ext}`,
      {
        preHandler: staff,
        schema: {
          tags: ['regulator'],
          security: bearer,
          description: `The market report as an ${file.what}.`,
          querystring: ReportFileQuery,
          produces: [file.type],
          response: { 200: FileBody, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { lang, ...query } = request.query;
        const report = await build(query);
        const body = await file.render(report, reportLabels(lang ?? 'zh-CN'));
        return reply.type(file.type).header('content-disposition', `attachment; filename="${fileName(report.period, file.ext)}"`).send(body);
      },
    );
  }
}
