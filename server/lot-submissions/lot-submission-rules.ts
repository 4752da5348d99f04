import { Value } from 'typebox/value';
import { badRequest, unprocessable } from '../errors.ts';
import { dec } from '../shared/decimal.ts';
import { findHiddenCharacter, hiddenCharacterMessage } from '../shared/hidden-characters.ts';
import { AppError } from '../errors.ts';
import { LotSubmissionForm } from '../../contract/lot-submissions.ts';
import { divisionOf, JIANGXI } from '../divisions/divisions.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';

/** A submission's terms after every rule of the form held. */
export interface SubmissionTerms {
  symbol: string;
  indicatorType: string;
  quantity: string;
  divisionCode: string;
  region: string;
  sourceProject: string;
  acceptanceNo: string;
  filingNo: string;
  qualityGrade: number | null;
  landType: string | null;
  plotIds: string[];
  vintage: number;
}

/**
 * Checks the text fields of a submission (they arrive as multipart text, so the schema is applied
 * here rather than by the route) and the rules the schema cannot say: a known Jiangxi county, a
 * quantity on the instrument's lot size, farmland's grade and land type, distinct plot ids.
 */
export function submissionTerms(fields: Record<string, string>, instruments: InstrumentCatalog): SubmissionTerms {
  // Plot ids may come one a line; their pattern admits nothing hidden, line breaks aside.
  const { plotIds: _plots, ...lines } = fields;
  const hidden = findHiddenCharacter(lines);
  if (hidden) throw new AppError(400, 'INVALID_TEXT', hiddenCharacterMessage(hidden));
  if (!Value.Check(LotSubmissionForm, fields)) {
    const first = Value.Errors(LotSubmissionForm, fields)[0];
    const field = first?.instancePath.replace(/^\//, '') || String((first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0] ?? '');
    throw badRequest('VALIDATION_FAILED', `form.${field} ${first?.message ?? 'is invalid'}`, { field });
  }
  const f = fields as LotSubmissionForm;
  const spec = instruments.spec(f.symbol);
  if (!spec) throw unprocessable('UNKNOWN_SYMBOL', `no instrument ${f.symbol}`);
  const quantity = dec(f.quantity);
  if (quantity.lte(0) || !quantity.div(spec.lot).isInteger()) {
    throw unprocessable('QUANTITY_NOT_ON_LOT', `quantity ${f.quantity} is not a positive multiple of the lot size ${spec.row.lot_size} ${spec.row.unit}`);
  }
  const division = divisionOf(f.divisionCode);
  if (!division) throw unprocessable('UNKNOWN_DIVISION', `no county-level division has the code ${f.divisionCode}`, { divisionCode: f.divisionCode });
  if (division.provinceCode !== JIANGXI) throw unprocessable('DIVISION_NOT_IN_JIANGXI', `${division.fullName} is not in Jiangxi`, { divisionCode: f.divisionCode });
  const farmland = spec.row.indicator_type === 'farmland';
  if (farmland && (f.qualityGrade === undefined || f.landType === undefined)) {
    throw unprocessable('FARMLAND_ATTRIBUTES_REQUIRED', 'a farmland lot states its quality grade (质量等别 1–15) and land type (水田/旱地/水浇地)');
  }
  if (!farmland && (f.qualityGrade !== undefined || f.landType !== undefined)) {
    throw unprocessable('ATTRIBUTE_NOT_APPLICABLE', `quality grade and land type belong to farmland lots, not ${spec.row.indicator_type}`);
  }
  const plotIds = [...new Set(f.plotIds.split(/[\s,]+/).filter((p) => p !== ''))];
  if (plotIds.length === 0) throw badRequest('VALIDATION_FAILED', 'form.plotIds names no plot', { field: 'plotIds' });
  if (plotIds.some((p) => p.length > 60)) throw badRequest('VALIDATION_FAILED', 'form.plotIds: a plot id is at most 60 characters', { field: 'plotIds' });
  return {
    symbol: f.symbol,
    indicatorType: spec.row.indicator_type,
    quantity: quantity.toFixed(spec.qtyPlaces),
    divisionCode: f.divisionCode,
    region: division.fullName,
    sourceProject: f.sourceProject.trim(),
    acceptanceNo: f.acceptanceNo.trim(),
    filingNo: f.filingNo.trim(),
    qualityGrade: f.qualityGrade === undefined ? null : Number(f.qualityGrade),
    landType: f.landType ?? null,
    plotIds,
    vintage: Number(f.vintage),
  };
}
