import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { MarketReport, ReportQuery } from '../../../../../contract/reports.ts';
import { apiRequest, downloadFile } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

// The regulator's market report and its two files.

export function useMarketReport(query: ReportQuery | null) {
  return useQuery({
    queryKey: queryKeys.marketReport(query),
    queryFn: () => apiRequest<MarketReport>('/api/regulator/reports', { query: { ...query } }),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}

export type ReportFile = 'xlsx' | 'pdf';

export function downloadReport(file: ReportFile, query: ReportQuery, report: MarketReport, lang: 'zh-CN' | 'en'): Promise<void> {
  const { kind, from, to } = report.period;
  const name = `market-report-${kind}-${from}${to === from ? '' : `_${to}`}.${file}`;
  return downloadFile(`/api/regulator/reports.${file}`, name, { ...query, lang });
}
