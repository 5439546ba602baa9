# targets/nic: shm_open/shm_unlink (librt on older glibc) and C11 atomics.
nic_LDLIBS := -lrt -lpthread
