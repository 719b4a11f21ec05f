import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { ConfigError, loadConfig } from '../services/config.js';
import { colorIcon, outlineIcon } from './icons.js';

// `npm run manifest`: fills the Teams app manifest template from configuration, validates it (and its
// language files) against Microsoft's schema shipped in @microsoft/app-manifest — offline, no schema
// download — and zips the app package. The zip's path goes to stdout, everything else to stderr.

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** The manifest version the template is written for; its schema comes from the package. */
export const MANIFEST_VERSION = '1.30';
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export interface PackageInput {
  /** The bot's Microsoft App ID; also the Teams app id. */
  appId: string;
  /** The Entra ID app the tab's SSO tokens are issued for. */
  ssoClientId: string;
  /** Where Teams reaches this server, https. */
  publicUrl: string;
  version: string;
}

export interface AppPackage {
  manifest: Record<string, unknown>;
  /** Files of the zip by name (manifest.json, icons, language files). */
  files: Record<string, Buffer>;
  /** Schema and consistency errors; the package is only valid when empty. */
  errors: string[];
}

function schemaPath(file: string): string {
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(root, 'build', 'json-schemas', 'teams', `v${MANIFEST_VERSION}`, file);
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

/** Problems with the configuration a manifest cannot be built from, one line each. */
export function inputProblems(input: Partial<PackageInput>): string[] {
  const problems: string[] = [];
  if (!input.appId) problems.push('MicrosoftAppId: required to build the Teams app package');
  else if (!GUID.test(input.appId)) problems.push('MicrosoftAppId: must be a GUID (the Azure Bot app id)');
  if (input.ssoClientId && !GUID.test(input.ssoClientId))
    problems.push('TAB_SSO_CLIENT_ID: must be a GUID (the Entra ID app of the tab)');
  if (!input.publicUrl) problems.push('PUBLIC_URL: required to build the Teams app package');
  else if (!/^https:\/\/[^/]+/.test(input.publicUrl))
    problems.push('PUBLIC_URL: Teams loads tabs and bots only over https');
  return problems;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`The manifest template names an unknown value ${whole}`);
    // Values land inside JSON strings: escape them as JSON would.
    return JSON.stringify(value).slice(1, -1);
  });
}

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * The Localization schema writes a literal `]` unescaped in two property-name patterns. JavaScript
 * reads that as a literal without the `u` flag, but Ajv compiles patterns with it and rejects them;
 * escaping the lone bracket keeps the pattern's meaning and makes it compile.
 */
export function unicodeSafePattern(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (ch === '[' && !inClass) {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      out += inClass ? ch : '\\]';
      inClass = false;
    } else out += ch;
  }
  return out;
}

function withUnicodeSafePatterns(schema: Record<string, unknown>): Record<string, unknown> {
  const patterns = schema.patternProperties as Record<string, unknown> | undefined;
  if (!patterns) return schema;
  return {
    ...schema,
    patternProperties: Object.fromEntries(
      Object.entries(patterns).map(([k, v]) => [unicodeSafePattern(k), v]),
    ),
  };
}

async function validate(json: Record<string, unknown>, schemaFile: string, label: string): Promise<string[]> {
  const schema = withUnicodeSafePatterns(await readJson(schemaPath(schemaFile))) as never;
  const errors = await AppManifestUtils.validateAgainstSchema(json as unknown as TeamsManifest, schema);
  return errors.map((e) => `${label}: ${e}`);
}

/** Builds and validates the package in memory. */
export async function buildAppPackage(input: PackageInput): Promise<AppPackage> {
  const host = new URL(input.publicUrl).host;
  const template = await readFile(path.join(here, 'manifest.template.json'), 'utf8');
  const manifest = JSON.parse(
    fill(template, {
      MicrosoftAppId: input.appId,
      TAB_SSO_CLIENT_ID: input.ssoClientId,
      PUBLIC_URL: input.publicUrl.replace(/\/+$/, ''),
      PUBLIC_HOST: host,
      VERSION: input.version,
    }),
  ) as Record<string, unknown>;

  const files: Record<string, Buffer> = {
    'manifest.json': Buffer.from(JSON.stringify(manifest, null, 2)),
    'color.png': colorIcon(),
    'outline.png': outlineIcon(),
  };
  const errors = await validate(manifest, 'MicrosoftTeams.schema.json', 'manifest.json');

  const localization = manifest.localizationInfo as {
    defaultLanguageFile: string;
    additionalLanguages: Array<{ file: string }>;
  };
  for (const file of [
    localization.defaultLanguageFile,
    ...localization.additionalLanguages.map((l) => l.file),
  ]) {
    const strings = await readJson(path.join(here, 'strings', file));
    errors.push(...(await validate(strings, 'MicrosoftTeams.Localization.schema.json', file)));
    files[file] = Buffer.from(JSON.stringify(strings, null, 2));
  }

  const icons = manifest.icons as { color: string; outline: string };
  for (const [name, side] of [
    [icons.color, 192],
    [icons.outline, 32],
  ] as const) {
    const png = files[name];
    if (!png) errors.push(`icons: ${name} is not in the package`);
    else {
      const { width, height } = pngSize(png);
      if (width !== side || height !== side)
        errors.push(`icons: ${name} is ${width}×${height}, not ${side}×${side}`);
    }
  }
  return { manifest, files, errors };
}

const USAGE = `usage: npm run manifest [-- --out <file.zip>]
  builds the Teams app package from MicrosoftAppId, TAB_SSO_CLIENT_ID and PUBLIC_URL (https);
  prints the package's path (default manifest/build/switchboard.zip)
`;

/** `--out <file>` or nothing; `--help`; anything else is a mistake said as one. */
function parseManifestArgs(argv: string[]): { out?: string; help?: true } | { error: string } {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const [flag, value, ...rest] = argv;
  if (flag === undefined) return {};
  if (flag !== '--out') return { error: `unknown argument ${JSON.stringify(flag)}` };
  if (value === undefined || value.trim() === '' || value.startsWith('--'))
    return { error: '--out needs the file to write' };
  if (rest.length > 0) return { error: `unknown argument ${JSON.stringify(rest[0])}` };
  return { out: value };
}

async function main(argv: string[]): Promise<number> {
  const args = parseManifestArgs(argv);
  if ('help' in args) {
    process.stdout.write(USAGE);
    return 0;
  }
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${USAGE}`);
    return 2;
  }
  const out = path.resolve(args.out ?? path.join(here, 'build', 'switchboard.zip'));
  let input: PackageInput;
  try {
    const config = loadConfig(process.env);
    const version = ((await readJson(path.join(here, '..', 'package.json'))) as { version: string }).version;
    const partial = {
      appId: config.bot?.appId,
      ssoClientId: config.tabSsoClientId,
      publicUrl: process.env.PUBLIC_URL ? config.publicUrl : undefined,
      version,
    };
    const problems = inputProblems(partial);
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
    input = partial as PackageInput;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Cannot build the Teams app package:\n${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const pkg = await buildAppPackage(input);
  if (pkg.errors.length > 0) {
    process.stderr.write(
      `The Teams app package does not pass Microsoft's schema:\n${pkg.errors.join('\n')}\n`,
    );
    return 1;
  }
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    zipSync(Object.fromEntries(Object.entries(pkg.files).map(([k, v]) => [k, new Uint8Array(v)]))),
  );
  process.stderr.write(
    `Teams app package for ${input.publicUrl} (app ${input.appId}) passes schema v${MANIFEST_VERSION}\n`,
  );
  process.stdout.write(`${out}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
