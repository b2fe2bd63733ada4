/** The CLI's usage text (shared by the full CLI and the quick `inspect` bundle). */
export const USAGE = [
  'usage: nuget-publisher inspect <file.nupkg|file.snupkg> [--json]',
  '       nuget-publisher pack <file.nuspec|project> [--base-path DIR] [--output DIR] [--properties k=v;k=v] [--symbols]',
  '                            [--version V] [--configuration C]   (the last two for projects)',
  '       nuget-publisher push <file.nupkg|file.snupkg> --source URL|DIR [--kind nuget.org|v3|v2|folder|nuget-server] [--user NAME]',
  '                            [--api-key-env NAME] [--symbols] [--symbol-source URL] [--skip-duplicate] [--no-service-endpoint]',
  '                            [--no-checks]   (push even what nuget.org\'s rules would refuse; printed)',
  '                            [--trusted-publishing NUGET_USER [--token-service URL] [--audience AUD]]   (GitHub Actions OIDC, no stored key)',
  '       nuget-publisher unlist|relist <id> <version> --source URL [--api-key-env NAME] [--no-service-endpoint]',
  '       nuget-publisher diff <older.nupkg> <newer.nupkg>',
  '       nuget-publisher publish-plan <folder> --source URL|DIR [--kind K] [--user NAME] [--api-key-env NAME]',
  '                            [--dry-run] [--continue-on-error] [--skip-duplicate] [--symbols] [--no-checks] [--trusted-publishing NUGET_USER …]',
  '  The API key (or, with --user, the password) is read from the environment variable NAME',
  '  (default NUGET_API_KEY), never from an argument. A source ending in .json is a V3 service index;',
  '  any other http(s) source is a V2 push URL (a URL with no path gets api/v2/package appended).',
  '  Exit codes: 0 success, 1 usage error, 2 failure (the package or its symbols), with the cause on stderr.',
].join('\n');
