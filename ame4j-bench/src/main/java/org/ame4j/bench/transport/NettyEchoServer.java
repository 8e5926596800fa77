package org.ame4j.bench.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * {@code NettyEchoServer --port N [--threads T]}: Netty's canonical echo server on its NIO
 * transport (pooled buffers, the read buffer written back without a copy, one flush per read
 * batch), with {@code T} event-loop threads (default 1: accept, read, echo and write on one
 * thread). Prints "listening" once bound.
 */
public final class NettyEchoServer {
  private NettyEchoServer() {}

  @ChannelHandler.Sharable
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int port = ReactorEchoServer.intOption(args, "--port", 0);
    int threads = ReactorEchoServer.intOption(args, "--threads", 1);
    EventLoopGroup group = new NioEventLoopGroup(threads);
    try {
      Echo echo = new Echo();
      ServerBootstrap b = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(echo);
      ChannelFuture f = b.bind("127.0.0.1", port).sync();
      System.out.println("netty echo: listening on " + f.channel().localAddress() + ", "
          + threads + " event-loop thread(s)");
      System.out.flush();
      f.channel().closeFuture().sync();
    } finally {
      group.shutdownGracefully();
    }
  }
}
