import { Type, type Static } from 'typebox';
import { DECIMAL_PATTERN, Nullable, StringEnum } from './common.ts';
import { FARMLAND_LAND_TYPES, LOT_DOCUMENT_KINDS, LOT_DOCUMENT_TYPES } from './lot-submission-rules.ts';

export { FARMLAND_LAND_TYPES, LOT_DOCUMENT_KINDS, LOT_DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, type LotDocumentKind } from './lot-submission-rules.ts';

// Lot submission (指标入库申请): a county bureau submits a lot with its acceptance (验收), filing
// (备案) and county consent (同意出让) documents; one operator reviews it, a different operator
// approves it, and only then is the quantity credited. Shared by the server and the client.

export const LOT_SUBMISSION_STATUSES = ['submitted', 'reviewed', 'rejected', 'approved', 'withdrawn'] as const;
export type LotSubmissionStatus = (typeof LOT_SUBMISSION_STATUSES)[number];

const Text = (max: number, description: string) => Type.String({ minLength: 2, maxLength: max, description });

/**
 * The form fields of a submission (multipart text parts). Quality grade and land type are for
 * farmland lots only; plot ids are separated by commas, spaces or line breaks.
 */
export const LotSubmissionForm = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40, description: 'instrument, e.g. FARMLAND-QTY' }),
    quantity: Type.String({ pattern: DECIMAL_PATTERN, description: 'quantity in the instrument unit, a multiple of its lot size' }),
    divisionCode: Type.String({ pattern: '^36[0-9]{4}$', description: 'county (区县) by GB/T 2260 code, e.g. 361130 婺源县; see GET /api/divisions' }),
    sourceProject: Text(200, 'source project, e.g. 婺源县2025年高标准农田建设新增耕地项目'),
    acceptanceNo: Text(100, '验收文号, e.g. 饶自然资验〔2025〕37号'),
    filingNo: Text(100, '备案编号; becomes the lot’s verification reference'),
    qualityGrade: Type.Optional(Type.String({ pattern: '^([1-9]|1[0-5])$', description: 'farmland: 耕地质量等别 1–15' })),
    landType: Type.Optional(StringEnum(FARMLAND_LAND_TYPES, { description: 'farmland: 水田, 旱地 or 水浇地' })),
    plotIds: Type.String({ minLength: 1, maxLength: 4000, pattern: '^[0-9A-Za-z_./\\-, \\r\\n]+$', description: '图斑编号, one or more, separated by commas or line breaks' }),
    vintage: Type.String({ pattern: '^(199[0-9]|20[0-9]{2}|2100)$', description: 'year the indicator was produced' }),
  },
  { additionalProperties: false },
);
export type LotSubmissionForm = Static<typeof LotSubmissionForm>;

const FilePart = (description: string) => Type.String({ format: 'binary', description: `${description}; PDF, JPEG or PNG, at most 20 MB` });

/** The multipart body as OpenAPI shows it: the form fields and the three files. */
export const LotSubmissionUpload = Type.Object({
  ...LotSubmissionForm.properties,
  acceptance: FilePart('acceptance document (验收文件)'),
  filing: FilePart('filing record (备案文件)'),
  consent: FilePart('county government consent to the sale (县政府同意出让文件)'),
});
/** A correction: the same fields; files only for the documents being replaced. */
export const LotResubmissionUpload = Type.Object({
  ...LotSubmissionForm.properties,
  acceptance: Type.Optional(FilePart('replacement acceptance document')),
  filing: Type.Optional(FilePart('replacement filing record')),
  consent: Type.Optional(FilePart('replacement county consent')),
});

export const LotDocument = Type.Object({
  id: Type.String(),
  kind: StringEnum(LOT_DOCUMENT_KINDS),
  fileName: Type.String(),
  contentType: StringEnum(LOT_DOCUMENT_TYPES, { description: 'detected from the bytes at upload' }),
  sizeBytes: Type.String(),
  sha256: Type.String(),
  revision: Type.Integer(),
  url: Type.String({ description: 'GET to read the stored bytes' }),
});
export type LotDocument = Static<typeof LotDocument>;

export const LotSubmission = Type.Object({
  id: Type.String(),
  participantId: Type.String(),
  participantName: Type.String(),
  submittedBy: Type.String({ description: 'username' }),
  symbol: Type.String(),
  indicatorType: Type.String(),
  quantity: Type.String(),
  divisionCode: Type.String(),
  region: Type.String({ description: '设区市 + 区县, e.g. 上饶市婺源县' }),
  sourceProject: Type.String(),
  acceptanceNo: Type.String(),
  filingNo: Type.String(),
  qualityGrade: Nullable(Type.Integer()),
  landType: Nullable(Type.String()),
  plotIds: Type.Array(Type.String()),
  vintage: Type.Integer(),
  status: StringEnum(LOT_SUBMISSION_STATUSES),
  revision: Type.Integer({ description: '1 at submission, +1 at each corrected resubmission' }),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  reviewReason: Nullable(Type.String({ description: 'the reviewer’s reason (required when rejected)' })),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  lotId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  documents: Type.Array(LotDocument),
});
export type LotSubmission = Static<typeof LotSubmission>;

export const LotSubmissionQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(LOT_SUBMISSION_STATUSES)),
    queue: Type.Optional(StringEnum(['review', 'approval'] as const, { description: 'review: awaiting a first review; approval: reviewed by someone other than the caller' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export type LotSubmissionQuery = Static<typeof LotSubmissionQuery>;

export const ReviewBody = Type.Object(
  {
    decision: StringEnum(['accept', 'reject'] as const),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'why; required to reject, shown to the seller' })),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

export const DocumentParams = Type.Object(
  { id: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }), documentId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) },
  { additionalProperties: false },
);

export const Division = Type.Object({
  code: Type.String({ description: 'GB/T 2260 code' }),
  name: Type.String({ description: 'county name, e.g. 婺源县' }),
  cityCode: Type.String(),
  cityName: Type.String({ description: '设区市, e.g. 上饶市' }),
  fullName: Type.String({ description: 'e.g. 上饶市婺源县' }),
});
export type Division = Static<typeof Division>;
export const DivisionQuery = Type.Object({ province: Type.String({ pattern: '^[0-9]{2}$', default: '36' }) }, { additionalProperties: false });
