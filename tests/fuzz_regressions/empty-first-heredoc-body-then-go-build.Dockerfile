FROM --platform=$BUILDPLATFORM golang AS build
RUN 
RUN <<-EOF <<-EOT
EOF
go build -o /a .
EOT