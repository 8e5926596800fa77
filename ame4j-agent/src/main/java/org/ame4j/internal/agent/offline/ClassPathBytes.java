package org.ame4j.internal.agent.offline;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.ame4j.internal.agent.instr.CallPolicy;

/**
 * Class bytes by internal name for the offline instrumenter's hierarchy lookups, searched the way
 * a class loader at run time would find them: the JDK first (the platform loader's resources,
 * which include the boot modules: parent-first delegation), then the entries of a class path
 * (jars, opened as multi-release jars for the running JDK, and directories) in order, then
 * ame4j's own API classes (the agent jar puts ame4j-core on the class path of every
 * program it runs).
 *
 * <p>Guarantees: never throws for a missing or unreadable class (null: the transformer treats
 * unknown classes conservatively). Does not guarantee the same answers as the loader that will
 * finally run the classes: if the run-time class path differs from {@code --classpath}, a field
 * may be found final here and not there (or the reverse), which changes only where barriers are
 * omitted, and only for classes that differ between the two.
 */
final class ClassPathBytes implements Closeable {
  private final List<JarFile> jars = new ArrayList<>();
  private final List<Object> entries = new ArrayList<>(); // JarFile or Path (directory)
  private final ClassLoader jdk = ClassLoader.getPlatformClassLoader();
  private final ClassLoader own = ClassPathBytes.class.getClassLoader();

  /**
   * @throws IOException naming the entry if a class path element exists but cannot be opened
   */
  ClassPathBytes(List<Path> classpath) throws IOException {
    try {
      for (Path p : classpath) {
        if (Files.isDirectory(p)) {
          entries.add(p);
        } else if (Files.isRegularFile(p)) {
          JarFile jar;
          try {
            jar = new JarFile(p.toFile(), false, ZipFile.OPEN_READ, JarFile.runtimeVersion());
          } catch (IOException e) {
            throw new IOException("cannot open class path entry " + p + " as a jar (" + e.getMessage() + ")", e);
          }
          jars.add(jar);
          entries.add(jar);
        }
        // A missing entry is ignored, as java -cp does.
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** The JDK's class file of that name, or null. */
  byte[] jdk(String internalName) {
    return fromLoader(jdk, internalName);
  }

  /** The first class file of that name on the class path, then ame4j's own API; or null. */
  byte[] classPath(String internalName) {
    String file = internalName + ".class";
    for (Object e : entries) {
      try {
        if (e instanceof JarFile jar) {
          ZipEntry z = jar.getJarEntry(file); // the versioned entry for the running JDK, if any
          if (z != null) {
            try (InputStream in = jar.getInputStream(z)) {
              return in.readAllBytes();
            }
          }
        } else {
          Path f = ((Path) e).resolve(file);
          if (Files.isRegularFile(f)) {
            return Files.readAllBytes(f);
          }
        }
      } catch (IOException | RuntimeException ignored) {
        // unreadable: try the next entry
      }
    }
    if (CallPolicy.isAme4j(internalName)) {
      return fromLoader(own, internalName);
    }
    return null;
  }

  private static byte[] fromLoader(ClassLoader loader, String internalName) {
    if (loader == null) {
      return null;
    }
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (JarFile j : jars) {
      try {
        j.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    jars.clear();
    entries.clear();
    if (first != null) {
      throw first;
    }
  }
}
