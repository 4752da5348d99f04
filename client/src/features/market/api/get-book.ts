import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Book } from '../../../shared/api/types.ts';

export const BOOK_DEPTH = 20;

export const getBook = (symbol: string): Promise<Book> =>
  apiRequest<Book>(`/api/instruments/${encodeURIComponent(symbol)}/book`, { query: { depth: BOOK_DEPTH } });

export function useBook(symbol: string) {
  return useQuery({ queryKey: queryKeys.book(symbol), queryFn: () => getBook(symbol), enabled: symbol !== '' });
}
