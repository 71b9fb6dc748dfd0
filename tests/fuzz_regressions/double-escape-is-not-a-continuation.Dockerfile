FROM alpine
RUN echo a \\
RUN echo b
RUN echo c \\\
RUN echo d
