import { createRequire } from 'node:module';
import path from 'node:path';

// Noto Sans Hans (SIL OFL) ships inside an npm package, so Chinese renders on any machine.
const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');

export const PDF_FONT_REGULAR = path.join(fontDir, 'NotoSansHans-Regular.otf');
export const PDF_FONT_BOLD = path.join(fontDir, 'NotoSansHans-Bold.otf');

/** Registers the two faces as 'regular' and 'bold' on a pdfkit document. */
export function registerPdfFonts(pdf: PDFKit.PDFDocument): void {
  pdf.registerFont('regular', PDF_FONT_REGULAR);
  pdf.registerFont('bold', PDF_FONT_BOLD);
}
