/**
 * Settings apart from any front end: where a setting's value comes from below the command line
 * ({@link org.segstream.config.SettingsSources}: {@code SEGSTREAM_<KEY>}, then the settings file), what a bad one is
 * ({@link org.segstream.config.InvalidSettingException}, naming the setting by its key), and keeping secrets
 * (passwords, credentials in URIs, SASL settings) out of anything printed or logged. The name stays {@code config}
 * because that is what remains once the picocli provider moved to the CLI: settings and their precedence, plus the
 * masking every printer needs. A leaf: it imports the JDK and Logback's converter and encoder API only (with the SLF4J
 * types a logging event names), so any package may use it.
 */
package org.segstream.config;
