/**
 * The {@code segstream} command: one picocli class per subcommand, the option mixins ({@code ...Options}: flags
 * only, turned into the domain's {@code ...Settings}), the settings precedence as picocli's default provider, and the
 * one handler that maps exceptions to exit codes by meaning ({@link org.segstream.cli.ExitCodeHandler}: a bad
 * setting or input 2, a failed quality gate 3, anything else 1) and names the flag of a bad setting. The CLI's own
 * {@link org.segstream.cli.UsageException} and {@link org.segstream.cli.QualityGateException} live here. It may
 * import every package of ours; none may import it, and picocli is imported nowhere else.
 */
package org.segstream.cli;
