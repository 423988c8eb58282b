/**
 * Just enough of the protobuf wire format to read OTLP requests in tests: a message is a list of
 * (field number, value) pairs; length-delimited values stay bytes until the caller, who knows the
 * schema (opentelemetry-proto), decodes them as a nested message or as UTF-8.
 */
export interface WireField {
  readonly field: number;
  readonly varint?: bigint;
  readonly bytes?: Buffer;
  readonly fixed?: Buffer;
}

export function decodeMessage(buf: Buffer): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[at++];
      if (byte === undefined) throw new Error('protobuf: truncated varint');
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    switch (key & 7) {
      case 0:
        fields.push({ field, varint: varint() });
        break;
      case 1:
        fields.push({ field, fixed: buf.subarray(at, (at += 8)) });
        break;
      case 2: {
        const length = Number(varint());
        fields.push({ field, bytes: buf.subarray(at, (at += length)) });
        break;
      }
      case 5:
        fields.push({ field, fixed: buf.subarray(at, (at += 4)) });
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${key & 7}`);
    }
  }
  return fields;
}

/** The length-delimited values of `field`, each decoded as a nested message. */
export function messages(fields: readonly WireField[], field: number): WireField[][] {
  return fields.filter((f) => f.field === field && f.bytes !== undefined).map((f) => decodeMessage(f.bytes!));
}

export function text(fields: readonly WireField[], field: number): string | undefined {
  const found = fields.find((f) => f.field === field && f.bytes !== undefined);
  return found === undefined ? undefined : found.bytes!.toString('utf8');
}

export function hex(fields: readonly WireField[], field: number): string | undefined {
  const found = fields.find((f) => f.field === field && f.bytes !== undefined);
  return found === undefined ? undefined : found.bytes!.toString('hex');
}
