// Every path the server touches comes from here: names are checked against a safe alphabet
// and the real path (symlinks resolved) must stay inside the workspace, so neither `..`
// nor a symlink planted in the workspace can reach a file outside it.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { ID_PATTERN, NotFoundError, RUNS_DIR } from '../data/index.js';
import { BadRequestError } from './errors.js';

export const CODES_DIR = 'codes';
export const REPORTS_DIR = 'reports';
export const CHECKPOINTS_DIR = 'checkpoints';
export const EXPERIMENTS_DIR = 'experiments';
export const REPORT_FILES = ['report.json', 'flags.csv', 'report.md', 'report.html'] as const;

export class WorkspacePaths {
  constructor(readonly root: string) {}

  /** Checks a name from a URL: one path segment of the safe alphabet. */
  static checkName(what: string, name: string): string {
    if (typeof name !== 'string' || !ID_PATTERN.test(name) || name.includes('..')) {
      throw new BadRequestError(`${what} '${String(name).slice(0, 80)}' is not valid: use letters, digits, '.', '_' and '-' (no '/' or '..')`);
    }
    return name;
  }

  /** Resolves `parts` under the workspace; throws NotFound if missing, BadRequest if it escapes. */
  inside(...parts: string[]): string {
    const p = join(this.root, ...parts);
    if (!existsSync(p)) throw new NotFoundError(`not found: ${parts.join('/')}`);
    const real = realpathSync(p);
    const rootReal = realpathSync(this.root);
    if (real !== rootReal && !real.startsWith(rootReal + sep)) {
      throw new BadRequestError(`${parts.join('/')} points outside the workspace (symbolic link); it is not served`);
    }
    return real;
  }

  /**
   * A run folder: runs/<id>, or else a run an experiment recorded, addressed as
   * `<experiment>--<condition>--s<seed>` (experiments/<experiment>/runs/<condition>--s<seed>).
   */
  runDir(id: string): string {
    WorkspacePaths.checkName('run id', id);
    try {
      return this.inside(RUNS_DIR, id);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      const found = this.experimentRunOf(id);
      if (found) return found;
      throw new NotFoundError(`no run '${id}' in this workspace`);
    }
  }

  /** The folder of an experiment's run addressed as `<experiment>--<cell>`, or null. */
  private experimentRunOf(id: string): string | null {
    for (const exp of this.experimentNames()) {
      if (!id.startsWith(`${exp}--`)) continue;
      const cell = id.slice(exp.length + 2);
      if (!ID_PATTERN.test(cell)) continue;
      try {
        return this.inside(EXPERIMENTS_DIR, exp, RUNS_DIR, cell);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return null;
  }

  /** Experiment folders (experiments/<name>/, written by `thoughtlens experiment`). */
  experimentNames(): string[] {
    return this.list([EXPERIMENTS_DIR], (f) => statSync(f).isDirectory());
  }

  experimentDir(name: string): string {
    WorkspacePaths.checkName('experiment name', name);
    try {
      return this.inside(EXPERIMENTS_DIR, name);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`no experiment '${name}' in this workspace (thoughtlens experiment writes experiments/<name>/)`);
      throw err;
    }
  }

  /** experiments/<name>/report.json. */
  experimentReport(name: string): string {
    this.experimentDir(name);
    try {
      return this.inside(EXPERIMENTS_DIR, name, 'report.json');
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`experiment '${name}' has no report.json yet (run thoughtlens experiment with --format json)`);
      throw err;
    }
  }

  /** The recorded runs of an experiment (experiments/<name>/runs/<condition>--s<seed>), by folder name. */
  experimentRuns(name: string): string[] {
    this.experimentDir(name);
    return this.list([EXPERIMENTS_DIR, name, RUNS_DIR], (f) => statSync(f).isDirectory());
  }

  experimentRunDir(name: string, cell: string): string {
    WorkspacePaths.checkName('run name', cell);
    return this.inside(EXPERIMENTS_DIR, name, RUNS_DIR, cell);
  }

  /** The dictionary trained across the experiment's conditions (experiments/<name>/dictionary), or null. */
  experimentDictionary(name: string): string | null {
    this.experimentDir(name);
    try {
      const d = this.inside(EXPERIMENTS_DIR, name, 'dictionary');
      this.inside(EXPERIMENTS_DIR, name, 'dictionary', 'cfg.json');
      this.inside(EXPERIMENTS_DIR, name, 'dictionary', 'model.safetensors');
      return d;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /** Names of sub-entries of a folder inside the workspace that pass `keep`. */
  private list(parts: string[], keep: (full: string, name: string) => boolean): string[] {
    const dir = join(this.root, ...parts);
    if (!existsSync(dir)) return [];
    const out: string[] = [];
    for (const name of readdirSync(dir)) {
      if (!ID_PATTERN.test(name)) continue;
      try {
        const full = this.inside(...parts, name);
        if (keep(full, name)) out.push(name);
      } catch {
        // escaping or vanished entries are not listed
      }
    }
    return out.sort();
  }

  codesNames(runId: string): string[] {
    return this.list([RUNS_DIR, runId, CODES_DIR], (f, n) => n.endsWith('.arrows') && statSync(f).isFile()).map((n) => n.slice(0, -'.arrows'.length));
  }

  codesFiles(runId: string, name: string): { arrows: string; json: string | null } {
    WorkspacePaths.checkName('codes name', name);
    let arrows: string;
    try {
      arrows = this.inside(RUNS_DIR, runId, CODES_DIR, `${name}.arrows`);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`run '${runId}' has no latent codes '${name}'`);
      throw err;
    }
    let json: string | null = null;
    try {
      json = this.inside(RUNS_DIR, runId, CODES_DIR, `${name}.json`);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    return { arrows, json };
  }

  reportNames(runId: string): string[] {
    return this.list([RUNS_DIR, runId, REPORTS_DIR], (f) => statSync(f).isDirectory());
  }

  reportFile(runId: string, report: string, file: string): string {
    WorkspacePaths.checkName('report name', report);
    if (!(REPORT_FILES as readonly string[]).includes(file)) {
      throw new BadRequestError(`report file '${file.slice(0, 80)}' is not one of ${REPORT_FILES.join(', ')}`);
    }
    try {
      return this.inside(RUNS_DIR, runId, REPORTS_DIR, report, file);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`report '${report}' of run '${runId}' has no ${file}`);
      throw err;
    }
  }

  reportFiles(runId: string, report: string): string[] {
    return REPORT_FILES.filter((f) => {
      try {
        this.reportFile(runId, report, f);
        return true;
      } catch {
        return false;
      }
    });
  }

  checkpointNames(): string[] {
    return this.list([CHECKPOINTS_DIR], (f) => statSync(f).isDirectory());
  }

  checkpointDir(name: string): string {
    WorkspacePaths.checkName('checkpoint name', name);
    try {
      return this.inside(CHECKPOINTS_DIR, name);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`no checkpoint '${name}' in this workspace`);
      throw err;
    }
  }

  /** A file of a checkpoint (cfg.json, split.json, metrics.json, model.safetensors) or null. */
  checkpointFile(name: string, file: string): string | null {
    const dir = this.checkpointDir(name);
    try {
      return this.inside(CHECKPOINTS_DIR, name, file) && join(dir, file);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }
}
