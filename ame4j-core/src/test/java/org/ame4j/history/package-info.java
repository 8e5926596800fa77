/**
 * Checked histories (after Jepsen's Elle and Adya's anomaly classes): workloads record what every
 * transaction attempt read and wrote ({@link org.ame4j.history.History}), and
 * {@link org.ame4j.history.HistoryChecker} rebuilds the dependency graph from the record and
 * names every anomaly in it. Test code: used by ame4j-core's tests over explicit cells and by the
 * agent's child-JVM tests over plain fields, arrays and JDK collections (whose programs call it
 * from instrumented code: nothing under {@code org.ame4j} is ever
 * instrumented, so recording is never itself transactional or rolled back).
 */
package org.ame4j.history;
