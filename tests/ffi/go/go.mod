module ehm

go 1.19
