// Rules of a lot submission both sides apply: the documents it carries, the file types and size
// accepted, farmland's land types. Plain values (no schema library), so the client may import them.

/** The three documents every submission carries, by their multipart field name. */
export const LOT_DOCUMENT_KINDS = ['acceptance', 'filing', 'consent'] as const;
export type LotDocumentKind = (typeof LOT_DOCUMENT_KINDS)[number];

/** PDF, JPEG or PNG, as detected from the bytes. */
export const LOT_DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export const FARMLAND_LAND_TYPES = ['水田', '旱地', '水浇地'] as const;
export type FarmlandLandType = (typeof FARMLAND_LAND_TYPES)[number];

export const FARMLAND_QUALITY_GRADES = Array.from({ length: 15 }, (_, i) => i + 1);
