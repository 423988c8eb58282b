import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

/**
 * The SDK builds an Ajv instance per Server and per Client up front (several MB each). The gateway
 * validates JSON Schemas only when it asks the user something (elicitation), so one shared instance
 * is created on first use instead of one per downstream at start.
 */
class LazyValidator implements jsonSchemaValidator {
  private real: AjvJsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.real ??= new AjvJsonSchemaValidator();
    return this.real.getValidator<T>(schema);
  }
}

export const SHARED_VALIDATOR: jsonSchemaValidator = new LazyValidator();
