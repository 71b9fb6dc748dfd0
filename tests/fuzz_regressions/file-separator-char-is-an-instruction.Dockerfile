FROM alpine

