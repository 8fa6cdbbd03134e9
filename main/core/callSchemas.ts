import type { CallSchemas } from '../common/calls';
import { APP_CALL_SCHEMAS } from '../settings/callSchemas';
import { AUDIT_CALL_SCHEMAS } from '../audit/callSchemas';
import { DATASET_CALL_SCHEMAS } from '../datasets/callSchemas';
import { GALLERY_CALL_SCHEMAS } from '../gallery/callSchemas';
import { RUN_CALL_SCHEMAS } from '../runs/callSchemas';
import { EVALUATION_CALL_SCHEMAS } from '../evaluation/callSchemas';
import { MODEL_EXPORT_CALL_SCHEMAS } from '../modelExport/callSchemas';

// Every call's argument schema, from the domain that handles it (main/<domain>/callSchemas.ts).
// Typed as every call's: a call no domain gives a schema for is a compile error here.
export const CALL_SCHEMAS: CallSchemas = {
  ...APP_CALL_SCHEMAS,
  ...DATASET_CALL_SCHEMAS,
  ...RUN_CALL_SCHEMAS,
  ...EVALUATION_CALL_SCHEMAS,
  ...AUDIT_CALL_SCHEMAS,
  ...GALLERY_CALL_SCHEMAS,
  ...MODEL_EXPORT_CALL_SCHEMAS,
};
