package org.ame4j.reactor;

/** The echo protocol: every byte back, in order. */
class Echo extends Protocol {
  @Override
  public void dataReceived(byte[] data) {
    transport().write(data);
  }
}
