/**
 * Typed errors thrown by the core. Every error carries a stable code, a plain-language
 * cause and a fix, so that the CLI, the inspector and the Problems panel can all show
 * the same clear message. Messages never contain secrets.
 */
export class NuGetPublisherError extends Error {
  public readonly code: string;
  public readonly fix: string;

  public constructor(code: string, cause: string, fix: string) {
    super(`${cause} ${fix}`.trim());
    this.name = 'NuGetPublisherError';
    this.code = code;
    this.fix = fix;
  }

  /** One line: "NP0901: cause. fix." */
  public toOneLine(): string {
    return `${this.code}: ${this.message}`.replace(/\s+/g, ' ');
  }
}

/** The file cannot be read as a NuGet package (not a zip, truncated, unsafe, no nuspec...). */
export class PackageReadError extends NuGetPublisherError {
  public constructor(code: string, cause: string, fix: string) {
    super(code, cause, fix);
    this.name = 'PackageReadError';
  }
}

/** The nuspec XML cannot be parsed (syntax error, DOCTYPE, bad encoding, too large). */
export class NuspecParseError extends NuGetPublisherError {
  public readonly line?: number;
  public readonly column?: number;

  public constructor(code: string, cause: string, fix: string, line?: number, column?: number) {
    super(code, cause, fix);
    this.name = 'NuspecParseError';
    this.line = line;
    this.column = column;
  }
}

/** Turns anything thrown into a one-line, user-facing description. */
export function describeError(error: unknown): string {
  if (error instanceof NuGetPublisherError) {
    return error.toOneLine();
  }
  if (error instanceof Error) {
    return error.message.replace(/\s+/g, ' ');
  }
  return String(error);
}

/**
 * Anything thrown, as an NP error for people: NP errors pass through, file-system errors get
 * their cause (fsSafe), anything else is NP0999 "unexpected" (a defect, with how to report it).
 */
export function toUserError(error: unknown, describeErrno?: (error: NodeJS.ErrnoException) => NuGetPublisherError): NuGetPublisherError {
  if (error instanceof NuGetPublisherError) {
    return error;
  }
  const errno = error as NodeJS.ErrnoException;
  if (describeErrno && typeof errno?.code === 'string' && /^E[A-Z]+$/.test(errno.code)) {
    return describeErrno(errno);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new NuGetPublisherError('NP0999', `Unexpected failure: ${message.replace(/[.\s]+$/, '')}.`, 'Try again; if it persists, report it with the steps that led here (the log has details).');
}
