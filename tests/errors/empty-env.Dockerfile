FROM alpine
ENV
RUN echo hi
