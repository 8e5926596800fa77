/**
 * Conflict diagnostics: where aborts come from, by location and by the source lines of both
 * sides, and the JFR events of the engine.
 *
 * <p>Owns the site table ({@link org.ame4j.internal.diag.Sites}: barrier site id to class,
 * method, {@code File.java:line} and what the site touches), the table of conflicts
 * ({@link org.ame4j.internal.diag.Conflicts}), the last writer's site of each record
 * ({@link org.ame4j.internal.diag.WriterSites}), the names of explicit cells by creation site
 * ({@link org.ame4j.internal.diag.CellNames}) and the {@code jdk.jfr.Event} classes. Nothing
 * here runs unless {@code -Dame4j.report=true} (the records) or a JFR recording enables the
 * events: the engine's only links are one guarded hook per abort kind and per attempt
 * (see {@code org.ame4j.internal.engine.Diagnostics}).
 *
 * <p>Depends on nothing else of ame4j: the engine calls in, never the other way.
 */
package org.ame4j.internal.diag;
