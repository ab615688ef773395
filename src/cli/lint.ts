/**
 * `cloudtrail-lens lint FILE... [--target trail|event-data-store] [--log-bucket NAME] [--json]`
 * Checks advanced (and basic) event selectors with the same core as the editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type SelectorDiagnostic, type Target } from '../core/selectors';
import { detectInfraFormat, isInfraFileName, validateInfra } from '../core/selectors/infra';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, readFileCapped, type CliIo } from './io';

const HELP = `Usage: cloudtrail-lens lint FILE... [--target trail|event-data-store] [--log-bucket NAME] [--json]

Checks CloudTrail event selectors: a JSON array of advanced selectors, a put-event-selectors /
get-event-selectors / CreateEventDataStore document, any *.selectors.json file, a CloudFormation template
(YAML or JSON) with AWS::CloudTrail::Trail / AWS::CloudTrail::EventDataStore resources, or a Terraform .tf
file with aws_cloudtrail / aws_cloudtrail_event_data_store resources. Other resources are not looked at.

  --target T       Target when the file does not name one (TrailName → trail, RetentionPeriod → event data store).
                   Default: trail.
  --log-bucket B   The trail's log bucket, to catch selectors that log their own log files.
  --json           One JSON object per file: {"file","problems":[{"severity","message","line","column","code"}]}.

Output: file:line:col: severity: message [code]. Exit 0 no errors, 1 errors found, 2 usage error.
`;

/** Largest file lint reads; selector documents are tiny, anything this big is not one. */
const MAX_BYTES = 32 * 1024 * 1024;

export interface LintProblem {
  severity: string;
  message: string;
  line: number;
  column: number;
  code: string;
}

export function lintText(text: string, fileName: string, target: Target | undefined, logBucket?: string): LintProblem[] {
  const a = analyze(text, { fileName, target, logBucket });
  const tooDeep = a.diagnostics.find((d) => d.code === 'nesting-too-deep');
  if (!a.detected && tooDeep) {
    // Too deep to read, so its kind is unknown: the nesting is the problem to report.
    return [{ severity: tooDeep.severity, message: tooDeep.message, line: tooDeep.line, column: tooDeep.column, code: tooDeep.code }];
  }
  if (!a.detected) {
    return [{
      severity: 'warning', line: 1, column: 1, code: 'not-selectors',
      message: 'Not a selector document: expected a JSON array of advanced selectors, an object with AdvancedEventSelectors or EventSelectors, or a file named *.selectors.json. Nothing was checked.',
    }];
  }
  return a.diagnostics
    .filter((d: SelectorDiagnostic) => d.severity !== 'hint')
    .map((d) => ({ severity: d.severity, message: d.message, line: d.line, column: d.column, code: d.code }));
}

/** Like {@link lintText}, also for CloudFormation templates and Terraform files (found by content and extension). */
export async function lintFileText(text: string, fileName: string, target: Target | undefined, logBucket?: string): Promise<LintProblem[]> {
  const format = detectInfraFormat(text, fileName);
  if (format) {
    const found = await validateInfra(text, format, { target, logBucket });
    return found.filter((d) => d.severity !== 'hint').map((d) => ({ severity: d.severity, message: d.message, line: d.line, column: d.column, code: d.code }));
  }
  // A template or Terraform file without CloudTrail resources: nothing of ours to check.
  if (isInfraFileName(fileName)) return [];
  return lintText(text, fileName, target, logBucket);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const files: string[] = [];
  let target: Target | undefined;
  let logBucket: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const takeValue = (name: string): string | undefined => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) io.stderr(`cloudtrail-lens lint: ${name} needs a value.\n`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      io.stdout(HELP);
      return EXIT_OK;
    } else if (a === '--json') json = true;
    else if (a === '--target' || a.startsWith('--target=')) {
      const v = takeValue('--target');
      if (v !== 'trail' && v !== 'event-data-store') {
        io.stderr(`cloudtrail-lens lint: --target must be trail or event-data-store${v === undefined ? '' : `, not '${v}'`}.\n`);
        return EXIT_USAGE;
      }
      target = v;
    } else if (a === '--log-bucket' || a.startsWith('--log-bucket=')) {
      const v = takeValue('--log-bucket');
      if (!v) return EXIT_USAGE;
      logBucket = v;
    } else if (a === '--') files.push(...args.slice(i + 1)), (i = args.length);
    else if (a.startsWith('-') && a !== '-') {
      io.stderr(`cloudtrail-lens lint: unknown option '${a}'. Run 'cloudtrail-lens lint --help'.\n`);
      return EXIT_USAGE;
    } else files.push(a);
  }
  if (!files.length) {
    io.stderr('cloudtrail-lens lint: give at least one FILE.\n\n' + HELP);
    return EXIT_USAGE;
  }
  let errors = false;
  for (const file of files) {
    let problems: LintProblem[];
    try {
      const full = path.resolve(io.cwd, file);
      if (fs.statSync(full).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      const bytes = readFileCapped(full, MAX_BYTES);
      const text = new TextDecoder('utf-8').decode(bytes);
      problems = await lintFileText(text, path.basename(file), target, logBucket);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
      problems = [{ severity: 'error', message: `Cannot read the file: ${why}.`, line: 1, column: 1, code: 'read-error' }];
    }
    if (problems.some((p) => p.severity === 'error')) errors = true;
    if (json) io.stdout(JSON.stringify({ file, problems }) + '\n');
    else for (const p of problems) io.stdout(`${file}:${p.line}:${p.column}: ${p.severity}: ${p.message} [${p.code}]\n`);
  }
  return errors ? EXIT_PROBLEMS : EXIT_OK;
}
