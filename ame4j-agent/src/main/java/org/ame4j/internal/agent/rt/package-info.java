/**
 * The runtime glue that instrumented code calls besides the engine's barriers: dispatch of
 * calls to twins ({@code TwinLinker}, {@code Dispatch}, {@code CallTarget}), the transactional
 * stand-ins for JDK atomics, arrays and {@code Unsafe} accesses ({@code *Intrinsics},
 * {@code JdkUnsafe}), clone, the java.base bridge's linker, and the untracked/inevitable entry
 * points ({@code AgentRuntime}).
 *
 * <p>Owns: everything emitted code links against outside the engine. Must not touch: ASM or any
 * other agent package (it is loaded into the application's run time, and is itself never
 * instrumented); its public methods are called by generated code, so their names and
 * descriptors change only together with the code that emits the calls.
 */
package org.ame4j.internal.agent.rt;
