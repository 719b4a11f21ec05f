import type { ServerResponse } from 'node:http';

// Files over HTTP, the same for the agent API and the Direct Line channel: both read uploads the
// body reader kept as bytes (services/http/body.ts) and hand out kept files as downloads. It sits
// beside log.ts rather than in services/http because the bot, its own HTTP adapter, uses it too.

/** One part of a multipart body that carried a file (a Blob), with the form field it came in. */
export interface FormFile {
  field: string;
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A multipart/form-data body's text fields by name, and its files in the order sent. */
export interface FormParts {
  fields: Record<string, string>;
  /** Text fields sent more than once: which value was meant is not for the reader to guess. */
  repeated: string[];
  files: FormFile[];
}

/**
 * Reads a multipart/form-data body with the platform's own parser (undici's, behind `Response`);
 * undefined when the bytes and their content type do not make one.
 */
export async function readMultipart(raw: Buffer, contentType: string): Promise<FormParts | undefined> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const fields: Record<string, string> = {};
  const repeated = new Set<string>();
  const files: FormFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === 'string') {
      if (Object.hasOwn(fields, field)) repeated.add(field);
      fields[field] = value;
    } else
      files.push({
        field,
        name: value.name,
        type: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
  }
  return { fields, repeated: [...repeated], files };
}

/** A kept file as it is handed out. */
export interface Download {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * Sends a kept file as a download: the type it was checked to be (never sniffed again by the
 * browser, whose `nosniff` every answer carries), and never run as a page if its address is opened
 * directly.
 */
export function sendDownload(res: ServerResponse, file: Download): void {
  res.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.bytes.length,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  res.end(file.bytes);
}
