global using OrderSaga.Topology;
